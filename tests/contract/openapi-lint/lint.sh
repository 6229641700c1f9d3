#!/usr/bin/env bash
# Lints the OpenAPI document with three independent tools and fails on any
# error or warning: @apidevtools/swagger-parser (validate), Redocly
# (recommended-strict) and Spectral (spectral:oas, --fail-severity warn).
#   lint.sh [CREDFLOW_BINARY]
# Lints adapters/http/openapi.json and, given the binary, the document as
# GET /v1/openapi.json serves it (with every workflow's event schemas, from
# `credflow openapi`). The tools come from package-lock.json: `npm ci` here
# (tests/run does it). Exit 77 (skipped) when they are not installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="$here/node_modules/.bin"
if ! command -v node >/dev/null || [ ! -x "$bin/spectral" ] || [ ! -x "$bin/redocly" ]; then
  echo "openapi-lint: skipped: no Node.js or no linters; run 'npm ci' in $here (tests/run does)" >&2
  exit 77
fi
# No telemetry or update check (there is no network to reach anyway).
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

documents=("$root/adapters/http/openapi.json")
if [ $# -ge 1 ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  "$1" openapi > "$work/served-openapi.json"
  documents+=("$work/served-openapi.json")
fi

status=0
node "$here/validate.js" "${documents[@]}" || status=1
for doc in "${documents[@]}"; do
  "$bin/redocly" lint --config "$here/redocly.yaml" "$doc" || status=1
  "$bin/spectral" lint --ruleset "$here/.spectral.yaml" --fail-severity warn "$doc" || status=1
done
exit $status

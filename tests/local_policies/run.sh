#!/bin/bash
# Local policy parameters, played for real: the shipped policies and forms
# are copied to a scratch CREDFLOW_HOME, one parameter is switched the way a
# local office would switch it, and a scenario that depends on it is played
# against that copy (and also against the shipped policies, where it must
# fail: the parameter is what makes the difference).
#
#   run.sh CREDFLOW_BINARY SOURCE_DIR
set -euo pipefail
credflow="$1"
src="$2"
here="$src/tests/local_policies"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
cp -r "$src/policies" "$src/forms" "$home/"

# Weihai: a credit interview (信用约谈) before repair, on the 信用中国 track.
order36="$home/policies/definitions/credit-repair-credit-china-2026-order36.xml"
grep -q '<interview required="false"' "$order36"
sed -i 's/<interview required="false"/<interview required="true"/' "$order36"
CREDFLOW_HOME="$home" "$credflow" scenario run "$here/local-weihai-interview-before-repair.json"
if CREDFLOW_HOME="$src" "$credflow" scenario run "$here/local-weihai-interview-before-repair.json" >/dev/null; then
  echo "local-weihai-interview-before-repair passes without the local parameter: it tests nothing" >&2
  exit 1
fi

#!/usr/bin/env bash
# The console's browser test (ctest label ui): a real `credflow serve` on a
# fresh SQLite store with a caseworker who has a password, the console built
# by CMake, and Debian's chromium driven by playwright-core (console_test.mjs).
#   run_ui_test.sh CREDFLOW CONSOLE_DIR ARTEFACT_DIR
set -euo pipefail
credflow="$1"
console="$2"
artefacts="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

db="sqlite://$work/store.db"
day=2025-03-03
cf() { "$credflow" --database "$db" --clock-date "$day" "$@"; }
cf migrate >/dev/null
cf user add wang --role caseworker >/dev/null
printf 'chuangkou-2025\n' | cf user passwd wang >/dev/null
cf subject register 91320500L968FMY61Q --name 苏州禾丰餐饮管理有限公司 --grade C --reason "一般失信记录" >/dev/null
cf subject register 91320500MA1MFKTE32 --name 苏州清和商贸有限公司 --grade A --reason "无失信记录" >/dev/null
cf record add 91320500L968FMY61Q --department tax --platform credit_china --kind penalty \
   --tier general --penalty fine --amount 20000 --decided-on 2024-06-03 >/dev/null

"$credflow" --database "$db" --clock-date "$day" serve --listen 127.0.0.1:0 --port-file "$work/port" --console "$console" --scheduler-interval 0 \
   --log-level warn 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "serve did not start"; cat "$work/serve.log"; exit 1; }

mkdir -p "$artefacts"
CREDFLOW_URL="http://127.0.0.1:$(cat "$work/port")" CREDFLOW_ARTEFACTS="$artefacts" \
  node "$here/console_test.mjs"
# The password never reaches the log.
if grep -q 'chuangkou-2025' "$work/serve.log"; then echo "the password is in the server log"; exit 1; fi

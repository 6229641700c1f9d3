#!/usr/bin/env bash
# The caseworker's window in a real browser (ctest ui_window, label ui): a
# real `credflow serve` on a fresh SQLite store set up by the CLI (a
# caseworker with a password, a registered subject with two paid fines), the
# console built by CMake, and Debian's chromium driven by playwright-core
# (window_test.mjs).
#   run_window_ui_test.sh CREDFLOW CONSOLE_DIR ARTEFACT_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ui_setup "$@"
code=91320500L968FMY61Q
idof() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s.trim().split("\n").pop()).id))'; }
cf user add wang --role caseworker >/dev/null
printf 'chuangkou-2025\n' | cf user passwd wang >/dev/null
cf subject register "$code" --name 苏州禾丰餐饮管理有限公司 --grade C --reason "一般失信记录" >/dev/null
# Two fines of two departments, decided 2024-06-03 and paid: repairable on
# the day, so a repair application sends one task to each department.
for dept in tax market; do
  record=$(cf record add "$code" --department "$dept" --platform credit_china --kind penalty \
             --tier general --penalty fine --amount 20000 --decided-on 2024-06-03 | idof)
  cf record fulfil "$record" --fulfilled-on 2024-07-01 >/dev/null
done

# The scheduler runs (every second): a child's outcome reaches its parent
# through a delivery timer, as in production.
start_server --scheduler-interval 1
run_node window_test.mjs

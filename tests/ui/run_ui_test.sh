#!/usr/bin/env bash
# The console's browser test (ctest label ui): a real `credflow serve` on a
# fresh SQLite store with a caseworker who has a password, the console built
# by CMake, and Debian's chromium driven by playwright-core (console_test.mjs).
#   run_ui_test.sh CREDFLOW CONSOLE_DIR ARTEFACT_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ui_setup "$@"
cf user add wang --role caseworker >/dev/null
printf 'chuangkou-2025\n' | cf user passwd wang >/dev/null
cf subject register 91320500L968FMY61Q --name 苏州禾丰餐饮管理有限公司 --grade C --reason "一般失信记录" >/dev/null
cf subject register 91320500MA1MFKTE32 --name 苏州清和商贸有限公司 --grade A --reason "无失信记录" >/dev/null
cf record add 91320500L968FMY61Q --department tax --platform credit_china --kind penalty \
   --tier general --penalty fine --amount 20000 --decided-on 2024-06-03 >/dev/null

start_server --scheduler-interval 0
run_node console_test.mjs
no_secret_in_log chuangkou-2025

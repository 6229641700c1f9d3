#!/usr/bin/env bash
# The statistics page's browser test (ctest ui_stats, label ui): a real
# `credflow serve` on a fresh SQLite store, commitments filed by the CLI in
# three months of 2025, an auditor with a password, the console built by
# CMake, and Debian's chromium driven by playwright-core (stats_test.mjs).
#   run_stats_ui_test.sh CREDFLOW CONSOLE_DIR ARTEFACT_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ui_setup "$@"
cf user add li --role auditor >/dev/null
printf 'shenji-2025-li\n' | cf user passwd li >/dev/null
cf subject register 91320500L968FMY61Q --name 苏州禾丰餐饮管理有限公司 --grade A --reason "无失信记录" >/dev/null
cf subject register 91320500MA1MFKTE32 --name 苏州清和商贸有限公司 --grade A --reason "无失信记录" >/dev/null
# Food-permit commitments: one in January, one in February, two in March.
file_on() {
  local on="$1" subject="$2" name="$3"
  "$credflow" --database "$db" --clock-date "$on" commitment file --subject "$subject" --type food_business_permit \
    --form "{\"applicant_name\":\"$name\",\"legal_representative\":\"周建华\",\"premises_address\":\"苏州市姑苏区人民路1288号\",\"business_items\":[\"prepackaged_food_sales\"],\"signed_on\":\"$on\"}" >/dev/null
}
hefeng=苏州禾丰餐饮管理有限公司
qinghe=苏州清和商贸有限公司
file_on 2025-01-15 91320500L968FMY61Q "$hefeng"
file_on 2025-02-10 91320500MA1MFKTE32 "$qinghe"
file_on 2025-03-03 91320500L968FMY61Q "$hefeng"
file_on 2025-03-03 91320500MA1MFKTE32 "$qinghe"

start_server --scheduler-interval 0
run_node stats_test.mjs

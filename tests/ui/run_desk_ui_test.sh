#!/usr/bin/env bash
# The department inbox and the auditor's desk in a real browser (ctest
# ui_desk, label ui): a fresh SQLite store set up by the CLI with a repair
# application fanned out to three departments, a real `credflow serve` with
# a scheduled anchor, and desk_test.mjs in two phases: before and after one
# event of the application is edited in the SQLite file while serve is
# stopped (as a database owner could).
#   run_desk_ui_test.sh CREDFLOW CONSOLE_DIR ARTEFACT_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ui_setup "$@"
subject=91320500L968FMY61Q
password=desk-2025-mima
add_user() {
  cf user add "$@" >/dev/null
  printf '%s\n' "$password" | cf user passwd "$1" >/dev/null
}
add_user wang --role caseworker
add_user shen --role auditor
add_user shui --role department --department tax
add_user shi --role department --department market
add_user huan --role department --department ecology
cf subject register "$subject" --name 苏州禾丰餐饮管理有限公司 --grade C --reason "一般失信记录" >/dev/null

# One record per department, decided 2024-06-03 (repairable from 2024-09-04)
# and its obligations performed; one application names all three.
records=()
for dept in tax market ecology; do
  out="$(cf record add "$subject" --department "$dept" --platform credit_china --kind penalty \
           --tier general --penalty fine --amount 20000 --decided-on 2024-06-03)"
  id="$(printf '%s' "$out" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n1)"
  [ -n "$id" ] || { echo "record add gave no id: $out"; exit 1; }
  cf record fulfil "$id" >/dev/null
  records+=(--record "$id")
done
applied="$(cf repair apply "$subject" "${records[@]}" --document repair_commitment --document proof_of_performance \
             --document business_licence --document agent_id --applicant 苏州禾丰餐饮管理有限公司)"
application="$(printf '%s\n' "$applied" | sed -n 's/^repair  *\([^ ]*\).*/\1/p' | head -n1)"
[ -n "$application" ] || { echo "repair apply gave no application: $applied"; exit 1; }
for dept in tax market ecology; do
  printf '%s\n' "$applied" | grep -Eq "^task +[^ ]+ +$dept" || { echo "no $dept task: $applied"; exit 1; }
done

mkdir -p "$work/anchors"
cf audit keygen --out "$work/anchor.pem" --public "$work/anchor.pub.pem" >/dev/null
serve_desk() {
  start_server --scheduler-interval 1 --anchor-every 24h --anchor-key "$work/anchor.pem" --anchor-dir "$work/anchors"
}
run_phase() {
  CREDFLOW_PHASE="$1" CREDFLOW_PASSWORD="$password" CREDFLOW_APPLICATION="$application" run_node desk_test.mjs
}

serve_desk
run_phase decide
stop_server

# The database owner edits who sent the application's second event.
python3 - "$work/store.db" "$application" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER IF EXISTS history_no_update")
changed = db.execute("UPDATE history SET actor_user = 'mallory' WHERE case_id = ? AND seq = 2", (sys.argv[2],)).rowcount
db.commit()
if changed != 1:
    sys.exit(f"tampering changed {changed} rows")
PY

serve_desk
run_phase tampered
stop_server

# Two more applications to tax alone, on the real calendar's edge: one
# taken 2026-12-21, whose 10 working days run into 2027 (a year the State
# Council has not yet published: its deadline is provisional) and which is
# overdue by 2027-01-20; one taken 2027-01-18, still open and in time.
late_apply() {
  local subject="$1" name="$2" out id
  cf subject register "$subject" --name "$name" --grade C --reason "一般失信记录" >/dev/null
  out="$(cf record add "$subject" --department tax --platform credit_china --kind penalty \
           --tier general --penalty fine --amount 5000 --decided-on 2026-06-01)"
  id="$(printf '%s' "$out" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -n1)"
  [ -n "$id" ] || { echo "record add gave no id: $out"; exit 1; }
  cf record fulfil "$id" >/dev/null
  cf repair apply "$subject" --record "$id" --document repair_commitment --document proof_of_performance \
     --document business_licence --document agent_id --applicant "$name" >/dev/null
}
day=2026-12-21 late_apply 91320506MA1QK3TX28 苏州清风商贸有限公司
day=2027-01-18 late_apply 91320508MA27HG4R8F 苏州明远科技有限公司
day=2027-01-20
serve_desk
run_phase overdue
stop_server
no_secret_in_log "$password"

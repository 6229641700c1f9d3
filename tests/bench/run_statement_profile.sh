#!/usr/bin/env bash
# What PostgreSQL executes per request (issue 14: fewer round trips and less
# work per command).
#
#   bash tests/bench/run_statement_profile.sh [BUILD_DIR] [--seconds D] [--top N]
#
# Starts a throwaway PostgreSQL (tests/support/pg_server.sh) with
# pg_stat_statements loaded, migrates a fresh database, starts `credflow
# serve` and drives it with credflow_http_load (8 connections, D s, default
# 15). Prints, per statement, the calls per request, the execution time per
# request (µs) and the rows per call, the N (default 30) costliest first, and
# the totals. Calls are counts, not time: they hold on a busy machine too;
# the times do not.
#
# Builds nothing: credflow and credflow_http_load in BUILD_DIR (or $BUILD,
# default build/). About a minute.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD:-$root/build}
seconds=15
top=30
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) build_dir=$1; shift ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ && $top =~ ^[0-9]+$ ]] || { echo "--seconds and --top take whole numbers" >&2; exit 2; }
build_dir=$(cd "$build_dir" && pwd)
credflow=$build_dir/adapters/credflow
load_gen=$build_dir/tests/bench/credflow_http_load
for b in "$credflow" "$load_gen"; do [[ -x $b ]] || { echo "missing $b: build it first" >&2; exit 2; }; done

bench_work statements
bench_pg_start "$root" "$work/pg" >/dev/null
sql -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
bin=$(sql -c "SELECT setting FROM pg_config WHERE name = 'BINDIR'")
if [[ $(id -u) -eq 0 ]]; then
  runuser -u postgres -- "$bin/pg_ctl" -D "$work/pg/data" -w restart -m fast >/dev/null
else
  "$bin/pg_ctl" -D "$work/pg/data" -w restart -m fast >/dev/null
fi
bench_pg_settings
sql -c "CREATE DATABASE credflow_statements"
sql -d credflow_statements -c "CREATE EXTENSION pg_stat_statements"
db="postgresql://$pg_user@$pg_host:$pg_port/credflow_statements"
bench_migrate "$credflow" "$db"
bench_serve "$credflow" "$db"

sql -d credflow_statements -c "SELECT pg_stat_statements_reset()" >/dev/null
bench_load "$load_gen" "$seconds" 0
sleep 2  # the scheduler's last deliveries
echo "requests $all (errors $errors)"
echo
echo "calls/request  exec µs/request  rows/call  statement"
sql -d credflow_statements -F $'\t' -c "
  SELECT round(calls::numeric / $all, 2), round((total_exec_time * 1000 / $all)::numeric, 1),
         round(rows::numeric / greatest(calls, 1), 2), left(regexp_replace(query, '\s+', ' ', 'g'), 110)
  FROM pg_stat_statements
  WHERE query NOT LIKE '%pg_stat_statements%'
  ORDER BY total_exec_time DESC LIMIT $top" | column -t -s $'\t'
echo
sql -d credflow_statements -c "
  SELECT 'total: ' || round(sum(calls)::numeric / $all, 2) || ' statements and '
         || round((sum(total_exec_time) * 1000 / $all)::numeric, 1) || ' µs of execution per request'
  FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"

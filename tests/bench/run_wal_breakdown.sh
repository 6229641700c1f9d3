#!/usr/bin/env bash
# Where credflow's WAL goes (issue 14: at most 2 KB of WAL per request).
#
#   bash tests/bench/run_wal_breakdown.sh [BUILD_DIR] [--seconds D] [--sql STATEMENT]...
#
# Starts a throwaway PostgreSQL (tests/support/pg_server.sh), migrates a
# fresh database, runs each --sql statement on it (a storage setting to try,
# such as "ALTER TABLE cases SET (fillfactor = 70)"), starts `credflow
# serve` on the real date and drives it with credflow_http_load (8
# connections, 2 s warm-up + D s, default 15) after a CHECKPOINT. Prints the
# WAL per request (pg_current_wal_lsn around the run, divided by every 2xx
# POST), pg_waldump's per-record statistics for that WAL (largest first),
# and each table's inserts, updates, HOT updates and size. WAL is bytes, not
# time: the figures hold on a busy machine too.
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
statements=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --sql) statements+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) build_dir=$1; shift ;;
  esac
done
build_dir=$(cd "$build_dir" && pwd)
credflow=$build_dir/adapters/credflow
load_gen=$build_dir/tests/bench/credflow_http_load
for b in "$credflow" "$load_gen"; do [[ -x $b ]] || { echo "missing $b: build it first" >&2; exit 2; }; done

bench_work wal
bench_pg_start "$root" "$work/pg" >/dev/null
bench_pg_settings
sql -c "CREATE DATABASE credflow_wal"
db="postgresql://$pg_user@$pg_host:$pg_port/credflow_wal"
bench_migrate "$credflow" "$db"
for s in "${statements[@]}"; do echo "sql: $s"; sql -d credflow_wal -c "$s"; done
bench_serve "$credflow" "$db"

sql -c "CHECKPOINT"
before=$(sql -c "SELECT pg_current_wal_lsn()")
bench_load "$load_gen" "$seconds" 2
after=$(sql -c "SELECT pg_current_wal_lsn()")
echo "requests $all (errors $errors), WAL $(sql -c "SELECT pg_wal_lsn_diff('$after', '$before')") B," \
  "per request $(sql -c "SELECT round(pg_wal_lsn_diff('$after', '$before') / $all)") B"
echo
echo "pg_waldump --stats=record, by bytes (records, their share, bytes per request):"
"$(sql -c "SELECT setting FROM pg_config WHERE name = 'BINDIR'")/pg_waldump" \
  -p "$work/pg/data/pg_wal" -s "$before" -e "$after" --stats=record 2>/dev/null |
  awk -v n="$all" '{ gsub(/\( +/, "("); $0 = $0 }
    # name, count, (count%), record bytes, (%), FPI bytes, (%), total bytes, (%)
    $2 ~ /^[0-9]+$/ && NF == 9 && $1 != "Total" { printf "  %-24s %9d %9s %8.0f\n", $1, $2, $NF, $(NF - 1) / n }' |
  sort -k4 -n -r | head -15
echo
echo "tables: inserts, updates, HOT updates, size"
sql -d credflow_wal -F ' ' -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd,
    pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables
  WHERE n_tup_ins + n_tup_upd > 0 ORDER BY pg_total_relation_size(relid) DESC" | sed 's/^/  /'

#!/usr/bin/env bash
# The 屡禁不止 ledger draw over 50,000 subjects with 1,000,000 records, on
# SQLite and on PostgreSQL, in one run (figures: README.md here).
#
#   bash tests/bench/run_ledger_draw_bench.sh [--subjects N --records M]
#
# Builds credflow_ledger_draw_bench (in $BUILD_DIR, default build/), runs it
# on a fresh SQLite file (WAL, synchronous=FULL), then starts a throwaway
# PostgreSQL (tests/support/pg_server.sh, fsync on) and runs it on a fresh
# database; stops the server at the end.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD_DIR:-$root/build}
cmake --build "$build_dir" --target credflow_ledger_draw_bench >/dev/null
bench="$build_dir/tests/bench/credflow_ledger_draw_bench"

work=$(mktemp -d -t credflow-ledger-bench-XXXXXX)
chmod 755 "$work"  # the postgres user makes its data folder inside
trap 'bash "$root/tests/support/pg_server.sh" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
echo "== SQLite"
"$bench" --database "sqlite:$work/ledger.db" "$@"
echo "== PostgreSQL"
bench_pg_start "$root" "$work/pg" >/dev/null
bench_pg_settings
sql -c "CREATE DATABASE ledger_bench"
"$bench" --database "postgresql:host=$pg_host port=$pg_port user=$pg_user dbname=ledger_bench" "$@"

#!/usr/bin/env bash
# The scheduler's claim of a due timer among 1,000 and 1,000,000 pending
# timers on PostgreSQL (figures: README.md here).
#
#   bash tests/bench/run_timer_claim_bench.sh [--pending 1000,1000000] [--due 2000]
#
# Builds credflow_timer_claim_bench (in $BUILD_DIR, default build/), starts a
# throwaway PostgreSQL (tests/support/pg_server.sh, fsync on), runs the bench
# on a fresh database, prints its lines and stops the server. Loading a
# million timers through the store takes a few minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD_DIR:-$root/build}
cmake --build "$build_dir" --target credflow_timer_claim_bench >/dev/null

pg_dir=$(mktemp -d -t credflow-timer-bench-XXXXXX)
trap 'bash "$root/tests/support/pg_server.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
bench_pg_start "$root" "$pg_dir" >/dev/null
bench_pg_settings
sql -c "CREATE DATABASE timer_claim_bench"
"$build_dir/tests/bench/credflow_timer_claim_bench" \
  --database "postgresql:host=$pg_host port=$pg_port user=$pg_user dbname=timer_claim_bench" "$@"

#!/usr/bin/env bash
# The durable-transition benchmark, in one command (figures: README.md here).
#
#   bash tests/bench/run_benchmarks.sh [--seconds S] [--diagnose]
#
#  1. builds credflow_transition_bench (in $BUILD_DIR, default build-bench/);
#  2. starts a throwaway PostgreSQL through tests/support/pg_server.sh
#     (fsync on, synchronous_commit at its default: every commit is durable);
#  3. runs `pgbench -i -s 10`, then `pgbench -N -c 8 -j 8 -T 20` twice, once
#     before and once after credflow's 8-thread run, so that both sides see
#     the same machine (the yardstick is the mean of the two);
#  4. runs the bench on a fresh PostgreSQL database with 8 and 1 threads, and
#     on a fresh SQLite file (synchronous=FULL, WAL) with 1 and 8 threads;
#  5. prints a side-by-side table: pgbench -N tps at 8 clients against
#     credflow transitions/s at 8 threads, the ratio (the aim is >= 70%), and
#     the CPU each side spends per transaction (server backends and client);
#  6. with --diagnose, also prints the statements of one VerificationOverdue
#     transition (log_statement=all) and drives that SQL with pgbench
#     (pgbench/transition_7rt.sql as unnamed and as prepared statements,
#     pgbench/transition_4rt.sql prepared), 10 s each;
#  7. stops PostgreSQL (also on failure or Ctrl-C).
# About 2.5 minutes with the defaults, 3 with --diagnose.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD_DIR:-$root/build-bench}
seconds=20
warmup=3
cases=50
diagnose=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --diagnose) diagnose=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
load() { cut -d' ' -f1 /proc/loadavg; }

# ---- 1. build -------------------------------------------------------------------
say "building credflow_transition_bench in $build_dir"
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build_dir" --target credflow_transition_bench -j2 | tail -n 1
bench=$build_dir/tests/bench/credflow_transition_bench

# ---- 2. PostgreSQL ----------------------------------------------------------------
work=$(mktemp -d /tmp/credflow-bench.XXXXXX)
pg_dir=$work/pg
cleanup() {
  bash "$root/tests/support/pg_server.sh" stop "$pg_dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"  # the postgres user must reach $pg_dir
say "starting PostgreSQL"
bench_pg_start "$root" "$pg_dir"
bench_pg_settings
fresh_db() {  # fresh_db NAME: a new empty database on the server
  sql -c "DROP DATABASE IF EXISTS $1" 2>/dev/null
  sql -c "CREATE DATABASE $1"
}
pg_url() { echo "postgresql:host=$pg_host port=$pg_port user=$pg_user dbname=$1"; }

# CPU of the server's backends: they are children of the postmaster, whose
# cutime+cstime grows by a backend's CPU when that backend exits (at the end
# of each run, when its client disconnects). Only for a server we started.
postmaster=""
[[ -f "$pg_dir/data/postmaster.pid" ]] && postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
clk_tck=$(getconf CLK_TCK)
server_ticks() {
  if [[ -n "$postmaster" && -r /proc/$postmaster/stat ]]; then
    awk '{ print $16 + $17 }' "/proc/$postmaster/stat"
  else
    echo ""
  fi
}
per_tx_us() {  # per_tx_us TICKS_BEFORE TICKS_AFTER TRANSACTIONS
  if [[ -z "$1" || -z "$2" ]]; then echo "n/a"; return; fi
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$clk_tck" 'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / n }'
}

declare -A tps server_us client_us line run_load

run_pgbench() {  # run_pgbench KEY
  local key=$1 before after out=$work/$1.out n
  run_load[$key]=$(load)
  say "pgbench -N -c 8 -j 8 -T 20 ($key, load average ${run_load[$key]})"
  before=$(server_ticks)
  local TIMEFORMAT='%U %S'  # the `time` keyword: pgbench's own user and system CPU
  { time pgbench -N -c 8 -j 8 -T 20 postgres >"$out" 2>&1 || { cat "$out"; exit 1; }; } 2>"$work/$key.time"
  sleep 1
  after=$(server_ticks)
  grep -E '^(number of transactions actually processed|latency average|tps)' "$out"
  tps[$key]=$(sed -n 's/^tps = \([0-9]*\.[0-9]\).* (without initial connection time)/\1/p' "$out")
  n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
  [[ -n "${tps[$key]}" && -n "$n" ]] || { cat "$out"; echo "no tps from pgbench" >&2; exit 1; }
  server_us[$key]=$(per_tx_us "$before" "$after" "$n")
  client_us[$key]=$(awk -v n="$n" '{ printf "%.0f", ($1 + $2) * 1e6 / n }' "$work/$key.time")
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

run_credflow() {  # run_credflow KEY URL THREADS
  local key=$1 url=$2 threads=$3 before after out=$work/$1.out
  run_load[$key]=$(load)
  say "credflow $key: $threads thread(s) (load average ${run_load[$key]})"
  before=$(server_ticks)
  "$bench" --database "$url" --threads "$threads" --seconds "$seconds" --warmup "$warmup" \
    --cases-per-thread "$cases" | tee "$out"
  sleep 1
  after=$(server_ticks)
  line[$key]=$(grep '^BENCH ' "$out" | tail -n 1)
  tps[$key]=$(field "${line[$key]}" tps)
  client_us[$key]=$(field "${line[$key]}" client_cpu_us)
  if [[ $url == postgresql:* ]]; then
    server_us[$key]=$(per_tx_us "$before" "$after" "$(field "${line[$key]}" run_transactions)")
  else
    server_us[$key]="-"
  fi
}

# ---- 3./4. pgbench -N and credflow, side by side -------------------------------------
say "pgbench -i -s 10"
pgbench -i -s 10 -q postgres 2>&1 | tail -n 1
sql -c "CHECKPOINT"
run_pgbench pgbench_before
fresh_db credflow_bench_8
run_credflow pg8 "$(pg_url credflow_bench_8)" 8
run_pgbench pgbench_after
fresh_db credflow_bench_1
run_credflow pg1 "$(pg_url credflow_bench_1)" 1
run_credflow sqlite1 "sqlite:$work/sqlite-1.db" 1
run_credflow sqlite8 "sqlite:$work/sqlite-8.db" 8

# ---- 6. (optional) what one transition sends, and that SQL under pgbench --------------
if [[ -n "$diagnose" ]]; then
  say "the statements of one VerificationOverdue transition (log_statement=all)"
  fresh_db credflow_trace
  log=$pg_dir/server.log
  sql -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  mark=$(wc -l <"$log")
  "$bench" --database "$(pg_url credflow_trace)" --threads 1 --seconds 0.05 --warmup 0 \
    --cases-per-thread 1 >/dev/null
  sql -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
  # The last complete transaction that updated a case, BEGIN to COMMIT.
  tail -n +"$((mark + 1))" "$log" | grep -E 'LOG:  (statement|execute)' |
    sed -E 's/^.*LOG:  (statement|execute[^:]*): //' >"$work/trace.sql"
  awk '/^BEGIN/ { buf = ""; inside = 1 } inside { buf = buf $0 "\n" }
       /^COMMIT/ && inside { if (buf ~ /UPDATE cases/) last = buf; inside = 0 }
       END { printf "%s", last }' "$work/trace.sql" | cut -c1-150 | nl -ba

  say "that SQL driven by pgbench, 8 clients, 10 s each (copies of a real case)"
  # Cases c1..c400 (8 clients x 50), copies of a case the bench filed.
  sql -d credflow_bench_8 -c "INSERT INTO cases (id, workflow, definition_version, subject, state, outcome, reason, version, policy_id, policy_version, policy_hash, data, parent_id, history_head, created_at, updated_at) SELECT 'c' || g, workflow, definition_version, subject, state, outcome, reason, 1, policy_id, policy_version, policy_hash, data, parent_id, history_head, created_at, updated_at FROM (SELECT * FROM cases LIMIT 1) c, generate_series(1, 400) g" >/dev/null
  sql -c "CHECKPOINT"
  for variant in "transition_7rt extended" "transition_7rt prepared" "transition_4rt prepared"; do
    set -- $variant
    key="$1/$2"
    run_load[$key]=$(load)
    before=$(server_ticks)
    pgbench -n -f "$here/pgbench/$1.sql" -M "$2" -c 8 -j 8 -T 10 credflow_bench_8 >"$work/emu.out" 2>&1 ||
      { cat "$work/emu.out"; exit 1; }
    sleep 1
    after=$(server_ticks)
    tps[$key]=$(sed -n 's/^tps = \([0-9]*\.[0-9]\).* (without initial connection time)/\1/p' "$work/emu.out")
    n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/emu.out")
    server_us[$key]=$(per_tx_us "$before" "$after" "$n")
    printf '%-28s %10s tps  server CPU %5s us/tx  (load average %s)\n' "$1 -M $2" "${tps[$key]}" \
      "${server_us[$key]}" "${run_load[$key]}"
  done
fi

# ---- 5. the table ---------------------------------------------------------------------
say "results: $(nproc) cores, $(uname -r), PostgreSQL $pg_version (fsync on), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-32s %10s %7s %7s %7s %7s %7s %7s %8s %8s %5s\n' "run" "per second" "p50 us" "p99 us" \
  "load" "machine" "write" "commit+" "srv cpu" "cli cpu" "ldavg"
row() {  # row KEY NAME
  local l=${line[$1]:-}
  if [[ -z "$l" ]]; then
    printf '%-32s %10s %7s %7s %7s %7s %7s %7s %8s %8s %5s\n' "$2" "${tps[$1]}" - - - - - - \
      "${server_us[$1]}" "${client_us[$1]}" "${run_load[$1]}"
  else
    printf '%-32s %10s %7s %7s %7s %7s %7s %7s %8s %8s %5s\n' "$2" "${tps[$1]}" \
      "$(field "$l" p50_us)" "$(field "$l" p99_us)" "$(field "$l" load_us)" \
      "$(field "$l" machine_us)" "$(field "$l" write_us)" "$(field "$l" commit_overhead_us)" \
      "${server_us[$1]}" "${client_us[$1]}" "${run_load[$1]}"
  fi
}
row pgbench_before "pgbench -N, 8 clients (before)"
row pg8 "credflow PostgreSQL, 8 threads"
row pgbench_after "pgbench -N, 8 clients (after)"
row pg1 "credflow PostgreSQL, 1 thread"
row sqlite1 "credflow SQLite, 1 thread"
row sqlite8 "credflow SQLite, 8 threads"
echo "(load..commit+: the average transition in us; srv/cli cpu: CPU us per transaction of the"
echo " PostgreSQL backends / of the client process; ldavg: 1-minute load average at the start)"

pgbench_tps=$(awk -v a="${tps[pgbench_before]}" -v b="${tps[pgbench_after]}" 'BEGIN { printf "%.1f", (a + b) / 2 }')
ratio=$(awk -v a="${tps[pg8]}" -v b="$pgbench_tps" 'BEGIN { printf "%.1f", 100 * a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 70 ? "meets" : "misses") }')
echo
echo "PostgreSQL, 8 clients: pgbench -N $pgbench_tps tps (mean of ${tps[pgbench_before]} and ${tps[pgbench_after]})"
echo "                       credflow ${tps[pg8]} transitions/s"
echo "                       ratio $ratio% ($verdict the 70% aim)"
echo "SUMMARY pgbench_tps=$pgbench_tps credflow_pg8_tps=${tps[pg8]} ratio_pct=$ratio credflow_pg1_tps=${tps[pg1]} credflow_sqlite1_tps=${tps[sqlite1]} credflow_sqlite8_tps=${tps[sqlite8]}"

status=0
for key in pg8 pg1 sqlite1 sqlite8; do
  l=${line[$key]}
  if [[ "$(field "$l" errors)" != 0 || "$(field "$l" verified)" != yes ]]; then
    echo "run $key had errors or failed its read-back: $l" >&2
    status=1
  fi
done
exit $status

#!/usr/bin/env bash
# The HTTP load benchmark, in one command (figures: README.md here).
#
#   bash tests/bench/run_http_benchmarks.sh [BUILD_DIR] [--seconds D] [--rounds R]
#                                           [--warmup W] [--connections N]
#                                           [--variant NAME=BUILD_DIR[:SERVE_FLAG]]...
#                                           [--clock-date YYYY-MM-DD]
#
# --variant adds a build (or the same build with a global flag such as
# --no-group-commit) run in every round right after the main one, on the same
# server: side-by-side figures for a before and an after in one run. The main
# build is the variant "credflow".
#
# Builds nothing: it expects `credflow`, `credflow_http_load` and
# `credflow_sqlite_loop_bench` in BUILD_DIR (or $BUILD, default build/), e.g.
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
#   ninja -C build credflow credflow_http_load credflow_sqlite_loop_bench
#
#  1. starts a throwaway PostgreSQL through tests/support/pg_server.sh (fsync
#     on, synchronous_commit on: every commit is durable);
#  2. creates the database credflow_http, runs `credflow migrate`, adds the
#     caseworker `bench` with a token file, and starts `credflow serve` on it
#     (--listen 127.0.0.1:0 --scheduler-interval 1 --threads 16) on the real
#     date and the system clock, as in production (ids are time-ordered by
#     the clock, which a fixed --clock-date stands still), the letters
#     signed on today's date in Beijing; --clock-date fixes the date;
#  3. runs `pgbench -i -s 10` on a separate database (pgbench) of the same
#     server, then R rounds (default 2) of: `pgbench -N -c 8 -j 2 -T D`, then
#     credflow_http_load with 8 connections for W s warm-up + D s measured
#     (default W=3, D=20), so that both sides see the same machine;
#  4. stops that server and does the same load once against `credflow serve`
#     on a fresh SQLite file, then the plain SQLite loop
#     (credflow_sqlite_loop_bench: the rows credflow wrote, again, one
#     transaction per request it answered, WAL and synchronous=FULL, one
#     connection) and credflow's ratio to it (aim >= 0.8x);
#  5. prints a table: pgbench tps, credflow requests/s (every request of the
#     load is a command, a 2xx POST, so this is per client request), WAL bytes
#     per request (pg_current_wal_lsn around the run), transitions/s
#     (history events), p50/p90/p99 of all requests, errors, the CPU each
#     side spends per transaction, and two ratios to pgbench tps: durable
#     transitions/s (the issue's measure; aim >= 60% with p99 < 20 ms) and
#     commands/s (one committed transaction each: the stricter comparison);
#  6. stops everything, also on failure or Ctrl-C.
# About 2.5 minutes with the defaults. Exits non-zero when a run had errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD:-$root/build}
seconds=20
warmup=3
rounds=2
connections=8
clock_date=""  # empty: the real date (the server on the system clock)
variants=()  # "NAME=BUILD_DIR[:FLAG]" besides the main build

while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --variant) variants+=("$2"); shift 2 ;;
    --clock-date) clock_date=$2; shift 2 ;;
    -h|--help) sed -n '2,44p' "$0"; exit 0 ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) build_dir=$1; shift ;;
  esac
done
build_dir=$(cd "$build_dir" && pwd)
variants=("credflow=$build_dir" "${variants[@]}")
variant_names=()
declare -A variant_build variant_flag
for v in "${variants[@]}"; do
  name=${v%%=*}; rest=${v#*=}
  variant_names+=("$name")
  variant_build[$name]=$(cd "${rest%%:*}" && pwd)
  variant_flag[$name]=""
  [[ $rest == *:* ]] && variant_flag[$name]=${rest#*:}
done

say() { printf '\n== %s\n' "$*"; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

credflow=$build_dir/adapters/credflow
load_gen=$build_dir/tests/bench/credflow_http_load
sqlite_loop=$build_dir/tests/bench/credflow_sqlite_loop_bench
for exe in "$credflow" "$load_gen" "$sqlite_loop"; do
  [[ -x $exe ]] || { echo "missing $exe: build it first (see --help)" >&2; exit 2; }
done
for name in "${variant_names[@]}"; do
  [[ -x ${variant_build[$name]}/adapters/credflow ]] || { echo "missing ${variant_build[$name]}/adapters/credflow" >&2; exit 2; }
done
"$credflow" serve --help >/dev/null 2>&1 || { echo "$credflow has no working 'serve' command" >&2; exit 2; }

# ---- clean-up ------------------------------------------------------------------------
work=$(mktemp -d /tmp/credflow-http-bench.XXXXXX)
pg_dir=$work/pg
serve_pid=""
stop_serve() {
  [[ -n $serve_pid ]] || return 0
  if kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$serve_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$serve_pid" 2>/dev/null && { echo "credflow serve ignored SIGTERM for 10 s; killing it" >&2; kill -KILL "$serve_pid" 2>/dev/null || true; }
  fi
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
}
cleanup() {
  stop_serve
  bash "$root/tests/support/pg_server.sh" stop "$pg_dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"  # the postgres user must reach $pg_dir

# ---- 1. PostgreSQL -------------------------------------------------------------------
say "starting PostgreSQL"
bench_pg_start "$root" "$pg_dir"
bench_pg_settings

# CPU ticks of the whole PostgreSQL server: the live children of the
# postmaster (backends, WAL writer, checkpointer...) plus what its exited
# children used (cutime+cstime). Only for a server this script started.
postmaster=""
[[ -f "$pg_dir/data/postmaster.pid" ]] && postmaster=$(head -n 1 "$pg_dir/data/postmaster.pid")
clk_tck=$(getconf CLK_TCK)
pg_ticks() {
  [[ -n $postmaster ]] || { echo ""; return; }
  # A process may exit between the glob and its read: cat then fails, and
  # with pipefail and set -e that would end the script.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk -v pm="$postmaster" '$4 == pm { s += $14 + $15 } $1 == pm { s += $16 + $17 } END { print s + 0 }'
}
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo ""; }
per_op_us() {  # per_op_us TICKS_BEFORE TICKS_AFTER OPERATIONS
  if [[ -z "$1" || -z "$2" || -z "$3" || "$3" == 0 ]]; then echo "-"; return; fi
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$clk_tck" 'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / n }'
}

# ---- 2. credflow serve ---------------------------------------------------------------
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/cf_/' >"$work/token"
echo >>"$work/token"
url=""
start_serve() {  # start_serve KEY DATABASE_URL [VARIANT]
  local key=$1 db=$2 port_file=$work/$1.port variant=${3:-credflow}
  local credflow=${variant_build[$variant]}/adapters/credflow flag=()
  [[ -n ${variant_flag[$variant]} ]] && flag=("${variant_flag[$variant]}")
  if [[ ! -e $work/$key.ready ]]; then  # once per database
    "$credflow" --database "$db" migrate >"$work/$key.migrate.log" 2>&1 ||
      { cat "$work/$key.migrate.log"; echo "credflow migrate failed on $db" >&2; exit 1; }
    "$credflow" --database "$db" user add bench --role caseworker --token-file "$work/token" \
      >"$work/$key.user.log" 2>&1 || { cat "$work/$key.user.log"; echo "credflow user add failed" >&2; exit 1; }
    touch "$work/$key.ready"
  fi
  rm -f "$port_file"
  local clock=()
  [[ -n $clock_date ]] && clock=(--clock-date "$clock_date")
  "$credflow" --database "$db" "${flag[@]}" "${clock[@]}" serve --listen 127.0.0.1:0 --port-file "$port_file" \
    --scheduler-interval 1 --threads 16 >"$work/$key.serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 600); do
    [[ -s $port_file ]] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$work/$key.serve.log" >&2; echo "credflow serve exited" >&2; exit 1; }
    sleep 0.1
  done
  [[ -s $port_file ]] || { cat "$work/$key.serve.log" >&2; echo "credflow serve wrote no port file in 60 s" >&2; exit 1; }
  url=http://127.0.0.1:$(tr -d ' \n' <"$port_file")
  for _ in $(seq 1 50); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "$url/healthz" >/dev/null || { cat "$work/$key.serve.log" >&2; echo "GET $url/healthz failed" >&2; exit 1; }
  echo "credflow serve ($variant${flag:+ ${flag[*]}}, pid $serve_pid) on $url, store $db"
}

declare -A tps cmd_s tr_s p50 p90 p99 errs srv_us pg_us cli_us run_load due wal_b

wal_lsn() { sql -d "${1:-postgres}" -c "SELECT pg_current_wal_lsn()"; }
wal_per_op() {  # wal_per_op LSN_BEFORE LSN_AFTER OPERATIONS
  if [[ -z "$1" || -z "$2" || -z "$3" || "$3" == 0 ]]; then echo "-"; return; fi
  sql -c "SELECT round(pg_wal_lsn_diff('$2', '$1') / $3)"
}

run_pgbench() {  # run_pgbench KEY
  local key=$1 out=$work/$1.out before after n
  run_load[$key]=$(loadavg)
  say "pgbench -N -c 8 -j 2 -T $seconds ($key, load average ${run_load[$key]})"
  before=$(pg_ticks)
  local wal_before wal_after
  wal_before=$(wal_lsn)
  local TIMEFORMAT='%U %S'  # the `time` keyword: pgbench's own user and system CPU
  { time pgbench -N -c 8 -j 2 -T "$seconds" pgbench >"$out" 2>&1 || { cat "$out"; exit 1; }; } 2>"$work/$key.time"
  sleep 1  # let the backends exit, so that their CPU is in the postmaster's cutime
  after=$(pg_ticks)
  wal_after=$(wal_lsn)
  grep -E '^(number of transactions actually processed|latency average|tps)' "$out"
  tps[$key]=$(sed -n 's/^tps = \([0-9]*\.[0-9]\).* (without initial connection time)/\1/p' "$out")
  n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
  [[ -n "${tps[$key]}" && -n "$n" ]] || { cat "$out"; echo "no tps from pgbench" >&2; exit 1; }
  pg_us[$key]=$(per_op_us "$before" "$after" "$n")
  wal_b[$key]=$(wal_per_op "$wal_before" "$wal_after" "$n")
  cli_us[$key]=$(awk -v n="$n" '{ printf "%.0f", ($1 + $2) * 1e6 / n }' "$work/$key.time")
  srv_us[$key]="-"
}

num() {  # num FILE JQ_PATH PRINTF_FORMAT: a number from the load generator's JSON
  jq -r "$2" "$1" | awk -v f="$3" '{ printf f, $1 }'
}

status=0
run_load_gen() {  # run_load_gen KEY POSTGRES(yes|no)
  local key=$1 with_pg=$2 out=$work/$1.json rc=0 pg_before="" pg_after="" srv_before srv_after all
  local wal_before="" wal_after=""
  run_load[$key]=$(loadavg)
  say "credflow_http_load $key: $connections connections, ${warmup} s warm-up + ${seconds} s (load average ${run_load[$key]})"
  if [[ $with_pg == yes ]]; then pg_before=$(pg_ticks); wal_before=$(wal_lsn); fi
  srv_before=$(proc_ticks "$serve_pid")
  "$load_gen" --url "$url" --token-file "$work/token" --connections "$connections" --duration "$seconds" \
    --warmup "$warmup" --date "${clock_date:-$(TZ=Asia/Shanghai date +%F)}" --json >"$out" || rc=$?
  srv_after=$(proc_ticks "$serve_pid")
  if [[ $with_pg == yes ]]; then pg_after=$(pg_ticks); wal_after=$(wal_lsn); fi
  if ! jq -e '.commands_per_s' "$out" >/dev/null 2>&1; then
    cat "$out"
    echo "credflow_http_load gave no figures (exit $rc); the server's log ends with:" >&2
    tail -n 20 "$work/${key%%[0-9]*}.serve.log" >&2 || true
    exit 1
  fi
  cmd_s[$key]=$(num "$out" .commands_per_s %.1f)
  # Transitions: the server's own count (credflow_transitions_total) when it
  # has one, else the load generator's (history events per POST, from its probe).
  if [[ $(jq -r '.server_transitions_per_s' "$out") != null ]]; then
    tr_s[$key]=$(num "$out" .server_transitions_per_s %.1f)
  else
    tr_s[$key]=$(num "$out" .transitions_per_s %.1f)
  fi
  due[$key]=$(jq -r '"\(.timers_due_at_end // "-")" | sub("\\.0$"; "")' "$out")
  p50[$key]=$(num "$out" .latency.p50_ms %.2f)
  p90[$key]=$(num "$out" .latency.p90_ms %.2f)
  p99[$key]=$(num "$out" .latency.p99_ms %.2f)
  errs[$key]=$(jq -r '.errors' "$out")
  cli_us[$key]=$(jq -r '.client_cpu_us_per_command | round' "$out")
  # Server-side CPU per command over the whole run (warm-up included), so
  # divided by every 2xx POST of the run.
  all=$(jq -r '.commands_all' "$out")
  srv_us[$key]=$(per_op_us "$srv_before" "$srv_after" "$all")
  pg_us[$key]=$(per_op_us "$pg_before" "$pg_after" "$all")
  wal_b[$key]=$(wal_per_op "$wal_before" "$wal_after" "$all")
  if [[ $rc != 0 || ${errs[$key]} != 0 ]]; then
    status=1
    echo "run $key: exit $rc, ${errs[$key]} error(s): $(jq -c '.errors_by_step_status' "$out")" >&2
    jq -r '.problems[]' "$out" | sed 's/^/  /' >&2
    jq -r '.read_back | "read-back: \(.sampled) sampled, \(.wrong) wrong \(.first_problem)"' "$out" >&2
  fi
}

# ---- 3. pgbench -N and credflow on PostgreSQL, interleaved ------------------------------
sql -c "CREATE DATABASE pgbench"
say "pgbench -i -s 10"
pgbench -i -s 10 -q pgbench 2>&1 | tail -n 1
for name in "${variant_names[@]}"; do sql -c "CREATE DATABASE \"http_$name\""; done
sql -c "CHECKPOINT"
for r in $(seq 1 "$rounds"); do
  run_pgbench "pgbench$r"
  # The variant right after pgbench runs on a server still writing out
  # pgbench's pages (measured: 15-20% slower there), so each round starts
  # with the next variant.
  order=()
  for ((i = 0; i < ${#variant_names[@]}; i++)); do
    order+=("${variant_names[$(((r - 1 + i) % ${#variant_names[@]}))]}")
  done
  for name in "${order[@]}"; do
    # Each variant keeps its own database across rounds, as a server would.
    start_serve "pg_$name" "postgresql://$pg_user@$pg_host:$pg_port/http_$name" "$name"
    run_load_gen "pg_$name$r" yes
    stop_serve
    tail -n 3 "$work/pg_$name.serve.log" | sed 's/^/  serve log: /'
  done
done

# ---- 4. SQLite -----------------------------------------------------------------------
for name in "${variant_names[@]}"; do
  start_serve "sqlite_$name" "sqlite:$work/http-bench-$name.db" "$name"
  run_load_gen "sqlite_${name}1" no
  stop_serve
done
# The plain SQLite loop: the rows credflow (the main build) wrote, again, in
# as many transactions as it answered requests, on one connection, WAL and
# synchronous=FULL (sqlite_loop_bench.cc).
say "plain SQLite loop: credflow's rows again, one transaction per request it answered"
"$sqlite_loop" --source "$work/http-bench-credflow.db" --target "$work/sqlite-loop.db" \
  --requests "$(jq -r '.commands_all' "$work/sqlite_credflow1.json")" | tee "$work/sqlite-loop.json"
loop_tps=$(jq -r '.transactions_per_s' "$work/sqlite-loop.json")

# ---- 5. the table --------------------------------------------------------------------
say "results: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(uname -r), PostgreSQL $pg_version (fsync on), $(date -u +%Y-%m-%dT%H:%MZ)"
row() { printf '%-40s %9s %9s %7s %7s %7s %6s %5s %7s %7s %6s %6s %5s\n' "$@"; }
row "run" "req/s" "trans/s" "p50 ms" "p90 ms" "p99 ms" "errors" "due" "srv us" "pg us" "cli us" "WAL B" "ldavg"
for r in $(seq 1 "$rounds"); do
  k=pgbench$r
  row "pgbench -N, 8 clients ($r)" "${tps[$k]}" - - - - - - - "${pg_us[$k]}" "${cli_us[$k]}" "${wal_b[$k]}" "${run_load[$k]}"
  for name in "${variant_names[@]}"; do
    k=pg_$name$r
    row "$name PostgreSQL, $connections conn ($r)" "${cmd_s[$k]}" "${tr_s[$k]}" "${p50[$k]}" "${p90[$k]}" \
      "${p99[$k]}" "${errs[$k]}" "${due[$k]}" "${srv_us[$k]}" "${pg_us[$k]}" "${cli_us[$k]}" "${wal_b[$k]}" "${run_load[$k]}"
  done
done
for name in "${variant_names[@]}"; do
  k=sqlite_${name}1
  row "$name SQLite, $connections conn" "${cmd_s[$k]}" "${tr_s[$k]}" "${p50[$k]}" "${p90[$k]}" "${p99[$k]}" \
    "${errs[$k]}" "${due[$k]}" "${srv_us[$k]}" - "${cli_us[$k]}" - "${run_load[$k]}"
done
echo "(req/s: pgbench transactions/s, or credflow requests/s: every request of the load is a command, a 2xx POST"
echo " committed before it is answered; trans/s: history events/s (the server's credflow_transitions_total);"
echo " p50-p99: all credflow requests; due: timers due at the end of the run (deliveries the in-process"
echo " scheduler has not fired yet); srv/pg/cli us: CPU per request of credflow serve / all PostgreSQL"
echo " processes / the client; WAL B: WAL bytes per request or transaction, the scheduler's deliveries"
echo " included; ldavg: 1-minute load average at the start of the run)"

mean() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.1f", s / NF }' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
pgbench_all=""
for r in $(seq 1 "$rounds"); do pgbench_all+=" ${tps[pgbench$r]}"; done
pgbench_mean=$(mean "$pgbench_all")
echo
echo "PostgreSQL, $connections clients: pgbench -N $pgbench_mean tps (mean of$pgbench_all)"
summary="SUMMARY pgbench_tps=$pgbench_mean sqlite_loop_tps=$loop_tps"
for name in "${variant_names[@]}"; do
  all=""; wal=""; worst_p99=0
  for r in $(seq 1 "$rounds"); do
    k=pg_$name$r
    all+=" ${cmd_s[$k]}"; wal+=" ${wal_b[$k]}"
    worst_p99=$(awk -v a="$worst_p99" -v b="${p99[$k]}" 'BEGIN { print (b > a ? b : a) }')
  done
  m=$(mean "$all"); x=$(ratio "$m" "$pgbench_mean"); w=$(mean "$wal")
  verdict=$(awk -v r="$x" -v p="$worst_p99" -v w="$w" 'BEGIN {
    printf "%s 1.0x, p99 %s 5 ms, WAL %s 2 KB", (r >= 1.0 ? "meets" : "misses"), (p < 5 ? "meets" : "misses"), (w <= 2048 ? "meets" : "misses") }')
  echo "  $name: $m requests/s (mean of$all) = ${x}x pgbench; worst p99 $worst_p99 ms; WAL $w B/request: $verdict"
  loop_ratio=$(ratio "${cmd_s[sqlite_${name}1]}" "$loop_tps")
  echo "  $name SQLite: ${cmd_s[sqlite_${name}1]} requests/s, p99 ${p99[sqlite_${name}1]} ms;" \
    "plain SQLite loop $loop_tps transactions/s: ${loop_ratio}x ($(awk -v r="$loop_ratio" 'BEGIN { print (r >= 0.8 ? "meets" : "misses") }') 0.8x)"
  summary+=" ${name}_pg_requests_per_s=$m ${name}_ratio=$x ${name}_worst_p99_ms=$worst_p99 ${name}_wal_bytes=$w ${name}_sqlite_requests_per_s=${cmd_s[sqlite_${name}1]} ${name}_sqlite_loop_ratio=$loop_ratio"
done
echo "$summary"
exit $status

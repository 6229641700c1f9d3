#!/usr/bin/env bash
# Two builds of credflow side by side, in one run, on one PostgreSQL server:
# the in-process transition benchmark (credflow_transition_bench) and the HTTP
# load (credflow serve + credflow_http_load), each build in turn per round,
# the order alternating from round to round so that drift on a shared machine
# falls on both. Used to show that a change is no slower than before it.
#
#   tests/bench/compare_builds.sh BEFORE_BUILD AFTER_BUILD [--rounds N] [--seconds S] [--threads T]
#
# Each BUILD is a build directory (Release) holding adapters/credflow,
# tests/bench/credflow_transition_bench and tests/bench/credflow_http_load,
# e.g. a worktree of the older commit built with
#   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-rel --target credflow credflow_transition_bench credflow_http_load
# Every run uses a fresh database. Prints one table and the means.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/bench_postgresql.sh"

[[ $# -ge 2 ]] || { sed -n '2,16p' "$0"; exit 2; }
before=$(cd "$1" && pwd); after=$(cd "$2" && pwd); shift 2
rounds=3; seconds=20; threads=8; warmup=3; clock_date=2025-03-03
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for b in "$before" "$after"; do
  for exe in adapters/credflow tests/bench/credflow_transition_bench tests/bench/credflow_http_load; do
    [[ -x $b/$exe ]] || { echo "missing $b/$exe" >&2; exit 2; }
  done
done

work=$(mktemp -d /tmp/credflow-compare.XXXXXX)
pg_dir=$work/pg
serve_pid=""
cleanup() {
  [[ -n $serve_pid ]] && { kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  bash "$root/tests/support/pg_server.sh" stop "$pg_dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT
chmod 755 "$work"
bench_pg_start "$root" "$pg_dir"
bench_pg_settings
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/cf_/' >"$work/token"
echo >>"$work/token"

db_seq=0
db_name=""
fresh_db() {  # sets db_name to a new, empty database
  db_seq=$((db_seq + 1))
  db_name=cmp$db_seq
  sql -c "CREATE DATABASE $db_name"
}

declare -A tps p99 cpu http http_p99
transition_run() {  # transition_run KEY BUILD
  local line
  fresh_db
  line=$("$2/tests/bench/credflow_transition_bench" --database "postgresql:host=$pg_host port=$pg_port user=$pg_user dbname=$db_name" \
    --threads "$threads" --seconds "$seconds" --warmup "$warmup" --cases-per-thread 50 | grep '^BENCH')
  grep -q 'errors=0 ' <<<"$line" && grep -q 'verified=yes' <<<"$line" || { echo "$1: $line" >&2; exit 1; }
  tps[$1]=$(sed -n 's/.* tps=\([0-9.]*\).*/\1/p' <<<"$line")
  p99[$1]=$(sed -n 's/.* p99_us=\([0-9.]*\).*/\1/p' <<<"$line")
  cpu[$1]=$(sed -n 's/.* client_cpu_us=\([0-9.]*\).*/\1/p' <<<"$line")
  echo "transition $1: ${tps[$1]} transitions/s, p99 ${p99[$1]} us, client CPU ${cpu[$1]} us per transition"
}
http_run() {  # http_run KEY BUILD
  local db port_file=$work/$1.port out=$work/$1.json
  fresh_db
  db="postgresql://$pg_user@$pg_host:$pg_port/$db_name"
  "$2/adapters/credflow" --database "$db" migrate >/dev/null
  "$2/adapters/credflow" --database "$db" user add bench --role caseworker --token-file "$work/token" >/dev/null
  "$2/adapters/credflow" --database "$db" --clock-date "$clock_date" serve --listen 127.0.0.1:0 \
    --port-file "$port_file" --scheduler-interval 1 --threads 16 >"$work/$1.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 600); do [[ -s $port_file ]] && break; sleep 0.1; done
  local url=http://127.0.0.1:$(tr -d ' \n' <"$port_file")
  "$2/tests/bench/credflow_http_load" --url "$url" --token-file "$work/token" --connections "$threads" \
    --duration "$seconds" --warmup "$warmup" --date "$clock_date" --json >"$out"
  kill -TERM "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""
  [[ $(jq -r .errors "$out") == 0 ]] || { echo "$1: errors in the HTTP run" >&2; exit 1; }
  http[$1]=$(jq -r '.commands_per_s | . * 10 | round / 10' "$out")
  http_p99[$1]=$(jq -r '.latency.p99_ms' "$out")
  echo "http $1: ${http[$1]} commands/s, p99 ${http_p99[$1]} ms"
}

for r in $(seq 1 "$rounds"); do
  order=(before after); (( r % 2 == 0 )) && order=(after before)
  for which in "${order[@]}"; do
    build=$before; [[ $which == after ]] && build=$after
    transition_run "$which$r" "$build"
    http_run "$which$r" "$build"
  done
done

mean() { awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; printf "%.1f", s / NF }' <<<"$1"; }
printf '\n%-8s %-6s %14s %10s %10s %12s %12s\n' build round "transitions/s" "p99 us" "cpu us" "http cmd/s" "http p99 ms"
for which in before after; do
  all_t=""; all_c=""; all_h=""
  for r in $(seq 1 "$rounds"); do
    k=$which$r
    printf '%-8s %-6s %14s %10s %10s %12s %12s\n' "$which" "$r" "${tps[$k]}" "${p99[$k]}" "${cpu[$k]}" "${http[$k]}" \
      "${http_p99[$k]}"
    all_t+=" ${tps[$k]}"; all_c+=" ${cpu[$k]}"; all_h+=" ${http[$k]}"
  done
  printf '%-8s %-6s %14s %10s %10s %12s\n' "$which" mean "$(mean "$all_t")" "" "$(mean "$all_c")" "$(mean "$all_h")"
done
echo "(transitions/s, p99, cpu: credflow_transition_bench, $threads threads, NameChanged on PostgreSQL; cpu: the"
echo " benchmark process's CPU per transition; http: credflow_http_load, $threads connections, commands/s and p99)"

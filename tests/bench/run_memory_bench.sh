#!/usr/bin/env bash
# The memory of `credflow serve` under a long load (figures: README.md here).
#
#   bash tests/bench/run_memory_bench.sh [BUILD_DIR] [--seconds D] [--connections N] [--warmup W]
#
# Starts a throwaway PostgreSQL (tests/support/pg_server.sh, fsync on) and
# `credflow serve` on it, then runs credflow_http_load with N (8) keep-alive
# connections for D (600) seconds: filings and their verifications, as in
# run_http_benchmarks.sh. Every 5 s it reads the server's resident set
# (VmRSS of /proc/PID/status). It prints the samples, the peak, and the
# growth from the end of the warm-up (W, 60 s) to the end, and fails when the
# peak reaches 256 MiB or the load had errors. Builds nothing: it expects
# `credflow` and `credflow_http_load` in BUILD_DIR (or $BUILD, default build/).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD:-$root/build}
seconds=600
connections=8
warmup=60
clock_date=2025-03-03
limit_kib=$((256 * 1024))
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) build_dir=$1; shift ;;
  esac
done
build_dir=$(cd "$build_dir" && pwd)
credflow=$build_dir/adapters/credflow
load_gen=$build_dir/tests/bench/credflow_http_load
for exe in "$credflow" "$load_gen"; do
  [[ -x $exe ]] || { echo "missing $exe: build it first" >&2; exit 2; }
done

work=$(mktemp -d /tmp/credflow-memory-bench.XXXXXX)
pg_dir=$work/pg
serve_pid=""
cleanup() {
  if [[ -n $serve_pid ]]; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  bash "$root/tests/support/pg_server.sh" stop "$pg_dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"

bench_pg_start "$root" "$pg_dir"
bench_pg_settings
sql -c "CREATE DATABASE credflow_memory"
db="postgresql://$pg_user@$pg_host:$pg_port/credflow_memory"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/cf_/' >"$work/token"
echo >>"$work/token"
"$credflow" --database "$db" migrate >/dev/null
"$credflow" --database "$db" user add bench --role caseworker --token-file "$work/token" >/dev/null
"$credflow" --database "$db" --clock-date "$clock_date" serve --listen 127.0.0.1:0 --port-file "$work/port" \
  --scheduler-interval 1 --threads 16 >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 600); do
  [[ -s $work/port ]] && break
  sleep 0.1
done
[[ -s $work/port ]] || { cat "$work/serve.log" >&2; echo "credflow serve did not start" >&2; exit 1; }
url=http://127.0.0.1:$(tr -d ' \n' <"$work/port")
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$serve_pid/status"; }
echo "credflow serve (pid $serve_pid) on $url; resident at start: $(rss_kib) KiB"

"$load_gen" --url "$url" --token-file "$work/token" --connections "$connections" --duration "$seconds" \
  --warmup 0 --date "$clock_date" --json >"$work/load.json" &
load_pid=$!
start=$(date +%s)
: >"$work/rss"
while kill -0 "$load_pid" 2>/dev/null; do
  echo "$(($(date +%s) - start)) $(rss_kib)" >>"$work/rss"
  sleep 5
done
rc=0
wait "$load_pid" || rc=$?
echo "$(($(date +%s) - start)) $(rss_kib)" >>"$work/rss"

echo "seconds resident_KiB"
awk '{ printf "%s %s\n", $1, $2 }' "$work/rss" | paste -sd'\n' | awk 'NR % 12 == 1'  # one a minute
peak=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$work/rss")
at_warm=$(awk -v w="$warmup" '$1 >= w { print $2; exit }' "$work/rss")
last=$(tail -n 1 "$work/rss" | cut -d' ' -f2)
requests=$(jq -r '.commands_all' "$work/load.json")
errors=$(jq -r '.errors' "$work/load.json")
echo "requests: $requests in $seconds s ($(jq -r '.commands_per_s' "$work/load.json")/s), errors: $errors"
echo "resident: ${at_warm:-?} KiB after ${warmup} s, peak $peak KiB, last $last KiB;" \
  "growth after warm-up $((last - ${at_warm:-$last})) KiB"
echo "MEMORY peak_kib=$peak warm_kib=${at_warm:-} last_kib=$last requests=$requests errors=$errors"
[[ $rc == 0 && $errors == 0 ]] || { echo "the load had errors (exit $rc)" >&2; exit 1; }
((peak < limit_kib)) || { echo "the peak resident set reached 256 MiB" >&2; exit 1; }

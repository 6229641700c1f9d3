#!/usr/bin/env bash
# The subject-import benchmark, in one command (figures: README.md here).
#
#   bash tests/bench/subject_import_bench.sh [--rows N] [--batch N]
#
#  1. builds credflow and credflow_subject_import_bench (in $BUILD_DIR,
#     default build-bench/);
#  2. writes a CSV of N (50,000) subjects with valid GB 32100 codes
#     (credflow_subject_import_bench);
#  3. on a fresh SQLite file (WAL, synchronous=FULL) and on a fresh database of
#     a throwaway PostgreSQL (tests/support/pg_server.sh, fsync on): migrates,
#     then times `credflow subject import FILE` (every row new: one subject
#     case, two history events, one profile each) and the re-import of the same
#     file (every row unchanged: nothing written);
#  4. checks the counts the import printed, prints a table, stops PostgreSQL
#     (also on failure or Ctrl-C).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD_DIR:-$root/build-bench}
rows=50000
batch=500

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*"; }
load() { cut -d' ' -f1 /proc/loadavg; }

say "building credflow and credflow_subject_import_bench in $build_dir"
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build_dir" --target credflow credflow_subject_import_bench -j2 | tail -n 1
credflow=$build_dir/adapters/credflow
generator=$build_dir/tests/bench/credflow_subject_import_bench

work=$(mktemp -d /tmp/credflow-subject-bench.XXXXXX)
pg_dir=$work/pg
cleanup() {
  bash "$root/tests/support/pg_server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$work"  # the postgres user must reach $pg_dir

csv=$work/subjects.csv
say "writing $rows subjects to $csv"
"$generator" --rows "$rows" --out "$csv"
echo "$(wc -l <"$csv") lines, $(du -h "$csv" | cut -f1)"

declare -A seconds summary loadavg

run_import() {  # run_import KEY URL EXPECT: times one import, checks the summary line
  local key=$1 url=$2 expect=$3 out=$work/$1.out start end
  loadavg[$key]=$(load)
  say "$key (load average ${loadavg[$key]})"
  start=$(date +%s.%N)
  "$credflow" --database "$url" subject import "$csv" --batch "$batch" >"$out"
  end=$(date +%s.%N)
  seconds[$key]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  summary[$key]=$(tail -n 1 "$out")
  echo "${summary[$key]}"
  grep -q "$expect" "$out" || { echo "expected '$expect' in the summary" >&2; exit 1; }
}

# ---- SQLite ----------------------------------------------------------------------------
sqlite_url="sqlite:$work/subjects.db"
"$credflow" --database "$sqlite_url" migrate >/dev/null
run_import sqlite_new "$sqlite_url" "$rows imported, 0 updated, 0 unchanged, 0 rejected"
run_import sqlite_again "$sqlite_url" "0 imported, 0 updated, $rows unchanged, 0 rejected"

# ---- PostgreSQL ------------------------------------------------------------------------
say "starting PostgreSQL"
bench_pg_start "$root" "$pg_dir"
sql -c "CREATE DATABASE subject_bench"
pg_url="postgresql:host=$pg_host port=$pg_port user=$pg_user dbname=subject_bench"
"$credflow" --database "$pg_url" migrate >/dev/null
run_import postgresql_new "$pg_url" "$rows imported, 0 updated, 0 unchanged, 0 rejected"
run_import postgresql_again "$pg_url" "0 imported, 0 updated, $rows unchanged, 0 rejected"

# ---- table -----------------------------------------------------------------------------
say "credflow subject import, $rows rows, batches of $batch"
printf '| %-32s | %10s | %10s | %12s |\n' run seconds rows/s "load average"
printf '| %-32s | %10s | %10s | %12s |\n' "---" "---:" "---:" "---:"
for key in sqlite_new sqlite_again postgresql_new postgresql_again; do
  printf '| %-32s | %10s | %10s | %12s |\n' "$key" "${seconds[$key]}" \
    "$(awk -v n="$rows" -v s="${seconds[$key]}" 'BEGIN { printf "%.0f", n / s }')" "${loadavg[$key]}"
done

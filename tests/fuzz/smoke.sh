#!/usr/bin/env bash
# Builds the libFuzzer targets (CREDFLOW_FUZZ=ON, clang, ASan + UBSan) in
# build-fuzz/ and runs each for a few seconds from its corpus and dictionary:
# the CI smoke run of tests/fuzz (README.md there). New inputs go to a
# scratch folder, never into the repository's corpus; a crash fails the run
# and leaves its input in the scratch folder, whose path is printed.
#   tests/fuzz/smoke.sh [build|run] [seconds per target, default 4]
# `build` only builds, `run` only runs (what `build` built); neither: both.
# (tests/run builds while ctest runs, whose tests wait more than they
# compute, and runs the targets after it.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
step=all
case "${1:-}" in build|run) step="$1"; shift ;; esac
seconds="${1:-4}"
targets=(api policy_xml calendar form credit_code csv scenario)

# -O0: a sanitized file compiles in 58% of its -O1 time (repair_workflow.cc:
# 11.3 s against 19.5 s), which keeps CI within its budget; long runs use -O1.
if [ "$step" != run ]; then
  cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCREDFLOW_FUZZ=ON -DCREDFLOW_FUZZ_OPT=-O0 \
        -DCMAKE_CXX_COMPILER="$(command -v clang++)" >/dev/null
  cmake --build "$root/build-fuzz" --target fuzz -j "$(nproc)"
fi
[ "$step" != build ] || exit 0

scratch="$(mktemp -d)"
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t/new" "$scratch/$t/artifacts"
  log="$scratch/$t/log"
  if TMPDIR="$scratch/$t" "$root/build-fuzz/tests/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=25 \
       -rss_limit_mb=4096 -print_final_stats=1 -dict="$root/tests/fuzz/$t.dict" \
       -artifact_prefix="$scratch/$t/artifacts/" "$scratch/$t/new" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    echo "fuzz smoke: $t: ${runs:-?} runs in ${seconds} s, no crash"
  else
    failed=1
    tail -n 40 "$log"
    echo "fuzz smoke: $t: CRASHED; input and log kept in $scratch/$t" >&2
  fi
done
if [ "$failed" = 0 ]; then rm -rf "$scratch"; fi
exit "$failed"

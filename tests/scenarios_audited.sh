#!/bin/bash
# Plays every project scenario into one kept store, then has the auditor
# check it: every hash chain, every projection derived from the histories,
# and every case replayed through its machine to its stored state and data.
# A scenario that passes but leaves a history its machine cannot replay
# (a guard reading something the history did not record) fails here.
set -euo pipefail
credflow="$1"
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="sqlite:$dir/audited.db"
"$credflow" --database "$db" scenario run --keep "$@" >"$dir/run.log" || { cat "$dir/run.log"; exit 1; }
"$credflow" --database "$db" audit verify
"$credflow" --database "$db" audit replay >"$dir/replay.log" || { grep -v '^ok' "$dir/replay.log"; exit 1; }
tail -1 "$dir/replay.log"

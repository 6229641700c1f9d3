#!/usr/bin/env bash
# `credflow serve --read-database` against a real PostgreSQL streaming
# replica (pg_basebackup, Debian's PostgreSQL), as ctest's read_replica test.
#
#   tests/integration/read_replica_test.sh CREDFLOW_BINARY
#
# 1. A primary and its hot standby (tests/support/pg_server.sh start and
#    replica, ports 54480-54499 so that the fixture's server is not touched).
# 2. `credflow serve` writes to the primary and reads case lists, histories
#    and statistics from the standby, within 2000 ms.
# 3. Five filings on the primary. The list read on the standby must name all
#    five (it may take a moment to catch up; the answer must then say
#    "replica; staleness-ms=N" with N <= 2000), and a case's history read
#    there must hold as many events as the primary's case has versions.
# 4. The standby is stopped. Once the bound has passed, the same reads are
#    answered by the primary ("primary"), still with all five, and filing
#    still works.
set -euo pipefail
credflow=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pg=$root/tests/support/pg_server.sh
export CREDFLOW_PG_PORTS="54480 54499"
subject=91320500L968FMY61Q

work=$(mktemp -d /tmp/credflow-replica.XXXXXX)
chmod 755 "$work"
serve_pid=""
cleanup() {
  if [[ -n $serve_pid ]]; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  bash "$pg" stop "$work/replica" 2>/dev/null || true
  bash "$pg" stop "$work/primary" 2>/dev/null || true
  rm -rf -- "$work"
}
trap cleanup EXIT
fail() {
  echo "read_replica_test: FAIL: $*" >&2
  [[ -f $work/serve.log ]] && tail -n 20 "$work/serve.log" >&2
  exit 1
}

bash "$pg" start "$work/primary"
psql -X -q -h 127.0.0.1 -p "$(cat "$work/primary/port")" -U postgres -d postgres -c "CREATE DATABASE credflow"
bash "$pg" replica "$work/primary" "$work/replica"
primary="postgresql://postgres@127.0.0.1:$(cat "$work/primary/port")/credflow"
replica="postgresql://postgres@127.0.0.1:$(cat "$work/replica/port")/credflow"

echo "cf_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$work/token"
"$credflow" --database "$primary" migrate >/dev/null
"$credflow" --database "$primary" user add clerk --role caseworker --token-file "$work/token" >/dev/null
"$credflow" --database "$primary" --clock-date 2025-03-03 serve --listen 127.0.0.1:0 --port-file "$work/port" \
  --scheduler-interval 1 --no-console --read-database "$replica" --read-max-staleness-ms 2000 \
  >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
  [[ -s $work/port ]] && break
  kill -0 "$serve_pid" 2>/dev/null || fail "credflow serve exited"
  sleep 0.1
done
[[ -s $work/port ]] || fail "credflow serve did not start"
url=http://127.0.0.1:$(cat "$work/port")
auth="Authorization: Bearer $(cat "$work/token")"

file() {  # file KEY: prints the new commitment's id
  curl -sS -f -H "$auth" -H "Idempotency-Key: $1" -H 'Content-Type: application/json' \
    -d "{\"subject\":{\"code\":\"$subject\",\"name\":\"苏州禾丰餐饮管理有限公司\"},\"type\":\"food_business_permit\",
         \"form\":{\"applicant_name\":\"苏州禾丰餐饮管理有限公司\",\"legal_representative\":\"周建华\",
                   \"premises_address\":\"苏州市姑苏区人民路1288号\",\"business_items\":[\"prepackaged_food_sales\"],
                   \"signed_on\":\"2025-03-03\"}}" \
    "$url/v1/commitments" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
get() {  # get PATH: the body to $work/body, the Credflow-Read-From header to $work/from
  curl -sS -f -D "$work/headers" -H "$auth" "$url$1" >"$work/body"
  tr -d '\r' <"$work/headers" | sed -n 's/^[Cc]redflow-[Rr]ead-[Ff]rom: //p' >"$work/from"
}
listed() {  # how many of the filed ids the last list named
  python3 -c 'import json, sys
ids = set(sys.argv[2:]); items = json.load(open(sys.argv[1]))["items"]
print(len(ids & {i["id"] for i in items}))' "$work/body" "${ids[@]}"
}

ids=()
for i in 1 2 3 4 5; do ids+=("$(file "replica-test-$i")"); done

# The standby catches up and answers, stating its bound.
seen=0
for _ in $(seq 1 100); do
  get "/v1/cases?workflow=commitment&limit=50"
  if [[ $(cat "$work/from") == replica* ]]; then
    seen=$(listed)
    [[ $seen == 5 ]] && break
  fi
  sleep 0.1
done
from=$(cat "$work/from")
[[ $from =~ ^replica\;\ staleness-ms=([0-9]+)$ ]] || fail "the list was not read on the replica: '$from'"
((BASH_REMATCH[1] <= 2000)) || fail "staleness ${BASH_REMATCH[1]} ms is above the 2000 ms bound"
[[ $seen == 5 ]] || fail "the replica listed $seen of the 5 filings"

# A history read there agrees with the case on the primary (GET /v1/cases/{id}
# reads the primary: one event per version).
get "/v1/cases/${ids[0]}"
version=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$work/body")
get "/v1/cases/${ids[0]}/history"
[[ $(cat "$work/from") == replica* ]] || fail "the history was not read on the replica: '$(cat "$work/from")'"
events=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["events"]))' "$work/body")
[[ $events == "$version" ]] || fail "the replica's history has $events events, the primary's case version $version"
get "/v1/statistics?year=2025"
[[ $(cat "$work/from") == replica* ]] || fail "the statistics were not read on the replica"

# The standby goes away: past the bound, the primary answers.
runuser_or_self() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
runuser_or_self "$bin/pg_ctl" -D "$work/replica/data" -m immediate -w stop >/dev/null
sleep 2.5
get "/v1/cases?workflow=commitment&limit=50"
[[ $(cat "$work/from") == primary ]] || fail "with the replica down, the list came from '$(cat "$work/from")'"
[[ $(listed) == 5 ]] || fail "the primary listed $(listed) of the 5 filings"
file replica-test-6 >/dev/null || fail "filing failed with the replica down"
echo "read_replica_test: PASSED (the replica answered: \"$from\"; the primary took over when it stopped)"

#!/usr/bin/env bash
# Reads at scale (issue 14, item 4): a subject's lookup and a case view with
# 1,000,000 cases and 10,000,000 history events in PostgreSQL.
#
#   bash tests/bench/run_scale_bench.sh [BUILD_DIR] [--cases N] [--events-per-case E]
#                                       [--subjects S] [--probes P]
#
# The data generator is this script's SQL: it files one real commitment
# through `credflow serve` (a subject, its commitment and verification with
# their histories), then clones those rows inside PostgreSQL with
# jsonb_populate_record, so every column the store has is filled as the
# engine fills it: S subjects with valid GB 32100 codes (the check character
# computed in SQL), N commitments spread over them, E history events each
# (the template's events repeated, inserted one seq at a time and each hashed
# onto its own case's chain in SQL, so every chain is real). Then it
# ANALYZEs, runs `credflow audit verify --chains-only` with one thread and
# with one per core (events hashed per second; it must find 0 broken),
# restarts `credflow serve`, and sends P GET /v1/subjects/{code} and P GET
# /v1/cases/{id} for random subjects and cases, one keep-alive connection,
# one at a time, timing each (python3's http.client, so a few tens of
# microseconds of client are in every figure). Prints p50/p90/p99/max.
# Defaults: N=1,000,000, E=10, S=100,000, P=5,000; about 15 minutes and
# 8 GB of disk. Builds nothing: credflow in BUILD_DIR (or $BUILD, default build/).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/bench/bench_postgresql.sh
source "$here/bench_postgresql.sh"
build_dir=${BUILD:-$root/build}
cases=1000000
events=10
subjects=100000
probes=5000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cases) cases=$2; shift 2 ;;
    --events-per-case) events=$2; shift 2 ;;
    --subjects) subjects=$2; shift 2 ;;
    --probes) probes=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    -*) echo "unknown argument: $1" >&2; exit 2 ;;
    *) build_dir=$1; shift ;;
  esac
done
credflow=$(cd "$build_dir" && pwd)/adapters/credflow
[[ -x $credflow ]] || { echo "missing $credflow: build it first" >&2; exit 2; }

work=$(mktemp -d /tmp/credflow-scale-bench.XXXXXX)
pg_dir=$work/pg
serve_pid=""
stop_serve() {
  [[ -n $serve_pid ]] || return 0
  kill -TERM "$serve_pid" 2>/dev/null || true
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
chmod 755 "$work"
say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

bench_pg_start "$root" "$pg_dir"
bench_pg_settings
sql -c "CREATE DATABASE scale"
db="postgresql://$pg_user@$pg_host:$pg_port/scale"
echo "cf_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$work/token"
"$credflow" --database "$db" migrate >/dev/null
"$credflow" --database "$db" user add bench --role caseworker --token-file "$work/token" >/dev/null
start_serve() {
  rm -f "$work/port"
  "$credflow" --database "$db" --clock-date 2025-03-03 serve --listen 127.0.0.1:0 --port-file "$work/port" \
    --scheduler-interval 0 --no-console >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 300); do
    [[ -s $work/port ]] && return 0
    sleep 0.1
  done
  cat "$work/serve.log" >&2
  echo "credflow serve did not start" >&2
  exit 1
}
start_serve
url=http://127.0.0.1:$(cat "$work/port")

say "the template: one filing through the API"
template_subject=91320500L968FMY61Q
curl -sS -f -H "Authorization: Bearer $(cat "$work/token")" -H 'Content-Type: application/json' \
  -d "{\"subject\":{\"code\":\"$template_subject\",\"name\":\"苏州禾丰餐饮管理有限公司\"},\"type\":\"food_business_permit\",
       \"form\":{\"applicant_name\":\"苏州禾丰餐饮管理有限公司\",\"legal_representative\":\"周建华\",
                 \"premises_address\":\"苏州市姑苏区人民路1288号\",\"business_items\":[\"prepackaged_food_sales\"],
                 \"signed_on\":\"2025-03-03\"}}" "$url/v1/commitments" >"$work/filed.json"
template_case=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$work/filed.json")
stop_serve

say "generating $subjects subjects, $cases cases, $((cases * events)) history events"
sql -d scale -v ON_ERROR_STOP=1 <<SQL
-- GB 32100: 17 characters of 0-9A-Z (no I, O, S, V, Z), then a check character.
CREATE FUNCTION pg_temp.uscc(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS \$\$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  weights constant int[] := ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28];
  body text := '91320500';
  org text := '';
  m bigint := n;
  s int := 0;
  c int;
BEGIN
  FOR i IN 1..9 LOOP
    org := substr(alphabet, (m % 31)::int + 1, 1) || org;
    m := m / 31;
  END LOOP;
  body := body || org;
  FOR i IN 1..17 LOOP
    s := s + (strpos(alphabet, substr(body, i, 1)) - 1) * weights[i];
  END LOOP;
  c := (31 - s % 31) % 31;
  RETURN body || substr(alphabet, c + 1, 1);
END \$\$;
CREATE TABLE scale_subjects AS
  SELECT g AS n, pg_temp.uscc(1000 + g) AS code FROM generate_series(1, $subjects) g;
INSERT INTO subjects
  SELECT (jsonb_populate_record(s, jsonb_build_object('code', x.code, 'name', '苏州规模测试企业' || x.n,
                                                     'search_key', 'sz' || x.n))).*
  FROM subjects s, scale_subjects x WHERE s.code = '$template_subject';
CREATE TABLE scale_cases AS
  SELECT g AS n, gen_random_uuid()::text AS id, s.code AS subject
  FROM generate_series(1, $cases) g JOIN scale_subjects s ON s.n = 1 + g % $subjects;
SQL
sql -d scale -c "SET synchronous_commit = off" -c "
  INSERT INTO cases
    SELECT (jsonb_populate_record(c, jsonb_build_object('id', x.id, 'subject', x.subject, 'version', $events))).*
    FROM cases c, scale_cases x WHERE c.id = '$template_case'"
say "cases in; history next, one seq at a time, each event hashed onto its case's chain"
# engine/history.h's canonical bytes, built in SQL: the members in key
# order, strings as to_json writes them (as nlohmann does for these texts),
# the payload's stored text as it is. `audit verify` below proves that
# every hash agrees with the engine's.
sql -d scale -v ON_ERROR_STOP=1 <<SQL
SET synchronous_commit = off;
CREATE FUNCTION pg_temp.canon(h history, id text, s bigint) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$
  SELECT '{"actor":{"department":' || to_json(h.actor_department)::text || ',"role":' || to_json(h.actor_role)::text
      || ',"user":' || to_json(h.actor_user)::text || '},"at":' || to_json(h.at)::text
      || ',"case_id":' || to_json(id)::text || ',"event":' || to_json(h.event)::text
      || ',"from":' || to_json(h.from_state)::text || ',"payload":' || h.payload
      || ',"policy":{"hash":' || to_json(h.policy_hash)::text || ',"id":' || to_json(h.policy_id)::text
      || ',"version":' || to_json(h.policy_version)::text || '},"seq":' || s || ',"to":' || to_json(h.to_state)::text
      || '}'
\$\$;
CREATE TABLE scale_template AS
  SELECT h, row_number() OVER (ORDER BY h.seq) AS k, count(*) OVER () AS total
  FROM history h WHERE h.case_id = '$template_case';
CREATE TABLE scale_prev AS SELECT id, repeat('0', 64) AS hash FROM scale_cases;
CREATE TABLE scale_next (id text, hash text);
DO \$\$
BEGIN
  FOR s IN 1..$events LOOP
    WITH hashed AS (
      SELECT x.id, x.hash AS prev, t.h,
             encode(sha256(convert_to(x.hash || pg_temp.canon(t.h, x.id, s), 'UTF8')), 'hex') AS hash
      FROM scale_prev x JOIN scale_template t ON t.k = 1 + (s - 1) % t.total),
    ins AS (
      INSERT INTO history
        SELECT (jsonb_populate_record(h, jsonb_build_object('case_id', id, 'seq', s, 'prev_hash', prev,
                                                            'hash', hash))).*
        FROM hashed
      RETURNING case_id, hash)
    INSERT INTO scale_next SELECT case_id, hash FROM ins;
    TRUNCATE scale_prev;
    INSERT INTO scale_prev SELECT * FROM scale_next;
    TRUNCATE scale_next;
  END LOOP;
END \$\$;
UPDATE cases c SET history_head = p.hash FROM scale_prev p WHERE c.id = p.id;
SQL
sql -d scale -c "VACUUM ANALYZE" -c "CHECKPOINT"
sql -d scale -c "SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM history) AS history_events,
                        (SELECT count(*) FROM subjects) AS subjects, pg_size_pretty(pg_database_size('scale')) AS size"

say "audit verify of every chain: one thread, then one per core"
for threads in 1 "$(nproc)"; do
  "$credflow" --database "$db" audit verify --chains-only --threads "$threads" | tee "$work/verify.out"
  grep -q " 0 broken (" "$work/verify.out" || { echo "audit verify found broken chains" >&2; exit 1; }
  rate=$(sed -n 's/.* s, \([0-9]*\) events\/s).*/\1/p' "$work/verify.out")
  echo "SCALE audit_verify_threads_${threads}_events_per_s=$rate"
done

say "probes: $probes subject lookups and $probes case views"
sql -d scale -c "COPY (SELECT code FROM scale_subjects ORDER BY random() LIMIT $probes) TO STDOUT" >"$work/codes"
sql -d scale -c "COPY (SELECT id FROM scale_cases ORDER BY random() LIMIT $probes) TO STDOUT" >"$work/ids"
start_serve
python3 - "$(cat "$work/port")" "$(cat "$work/token")" "$work/codes" "$work/ids" <<'PY'
import http.client, sys, time
port, token, codes, ids = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Authorization": "Bearer " + token}
def probe(name, paths):
    times = []
    for p in paths:
        t = time.perf_counter()
        conn.request("GET", p, headers=headers)
        r = conn.getresponse()
        body = r.read()
        times.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            sys.exit(f"{name} {p}: {r.status} {body[:200]!r}")
    times.sort()
    at = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"{name}: {len(times)} requests, p50 {at(0.5):.2f} ms, p90 {at(0.9):.2f} ms, "
          f"p99 {at(0.99):.2f} ms, max {times[-1]:.2f} ms")
    print(f"SCALE {name.replace(' ', '_')}_p99_ms={at(0.99):.2f}")
probe("subject lookup", ["/v1/subjects/" + c.strip() for c in open(codes) if c.strip()])
probe("case view", ["/v1/cases/" + i.strip() for i in open(ids) if i.strip()])
PY

# shellcheck shell=bash
# Sourced by the benchmark scripts: a throwaway PostgreSQL server
# (tests/support/pg_server.sh) with psql pointed at it.
#
#   bench_pg_start ROOT DIR   starts the server in DIR (ROOT: the repository)
#                             and sets pg_host, pg_port, pg_user, pg_version;
#                             exports PGHOST PGPORT PGUSER PGDATABASE=postgres
#   sql ARGS...               psql quietly, unaligned, stopping on errors
#   bench_pg_settings         one line: version and the durability settings
#   (stop with: bash ROOT/tests/support/pg_server.sh stop DIR)

sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

bench_pg_start() {
  bench_root=$1
  bash "$1/tests/support/pg_server.sh" start "$2"
  local conninfo
  conninfo=$(cat "$2/conninfo")
  pg_host=$(sed -n 's/.*host=\([^ ]*\).*/\1/p' <<<"$conninfo")
  pg_port=$(sed -n 's/.*port=\([^ ]*\).*/\1/p' <<<"$conninfo")
  pg_user=$(sed -n 's/.*user=\([^ ]*\).*/\1/p' <<<"$conninfo")
  export PGHOST=$pg_host PGPORT=$pg_port PGUSER=$pg_user PGDATABASE=postgres
  pg_version=$(sql -c "SHOW server_version")
}

bench_pg_settings() {
  echo "PostgreSQL $pg_version; fsync=$(sql -c "SHOW fsync"), synchronous_commit=$(sql -c "SHOW synchronous_commit"), wal_sync_method=$(sql -c "SHOW wal_sync_method"), shared_buffers=$(sql -c "SHOW shared_buffers"), max_connections=$(sql -c "SHOW max_connections")"
}

# One `credflow serve` on a database of that server, driven by
# credflow_http_load (run_wal_breakdown.sh, run_statement_profile.sh):
#   bench_work NAME            makes $work (/tmp/credflow-NAME.XXXXXX), which the
#                              postgres user can enter; on exit the server,
#                              the PostgreSQL started in $work/pg and $work go
#   bench_migrate CREDFLOW DB  migrates the database URL DB (created already)
#   bench_serve CREDFLOW DB    adds the caseworker `bench` with a fresh token in
#                              $work/token, starts `credflow serve` (serve_pid,
#                              log $work/serve.log) and sets url
#   bench_load LOAD_GEN SECONDS WARMUP
#                              8 connections into $work/load.json; sets all
#                              (2xx POSTs) and errors; fails when none answered
bench_work() {
  work=$(mktemp -d "/tmp/credflow-$1.XXXXXX")
  serve_pid=""
  trap bench_cleanup EXIT INT TERM
  chmod 755 "$work"  # the postgres user must reach its data folder (README, pitfalls)
}

bench_cleanup() {
  if [[ -n ${serve_pid:-} ]]; then kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  if [[ -n ${bench_root:-} ]]; then bash "$bench_root/tests/support/pg_server.sh" stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}

bench_migrate() {
  "$1" --database "$2" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
}

bench_serve() {
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/cf_/' >"$work/token"
  echo >>"$work/token"
  "$1" --database "$2" user add bench --role caseworker --token-file "$work/token" >"$work/user.log" 2>&1 ||
    { cat "$work/user.log"; exit 1; }
  "$1" --database "$2" serve --listen 127.0.0.1:0 --port-file "$work/port" --scheduler-interval 1 \
    --threads 16 >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 300); do [[ -s $work/port ]] && break; sleep 0.2; done
  [[ -s $work/port ]] || { cat "$work/serve.log" >&2; echo "credflow serve wrote no port file" >&2; exit 1; }
  url=http://127.0.0.1:$(tr -d ' \n' <"$work/port")
}

bench_load() {
  "$1" --url "$url" --token-file "$work/token" --connections 8 --duration "$2" --warmup "$3" \
    --date "$(TZ=Asia/Shanghai date +%F)" --json >"$work/load.json" 2>"$work/load.err" || true
  all=$(jq -r '.commands_all // 0' "$work/load.json")
  # shellcheck disable=SC2034  # read by the caller
  errors=$(jq -r '.errors // "?"' "$work/load.json")
  [[ $all -gt 0 ]] || { cat "$work/load.json" "$work/load.err" >&2; echo "no request answered" >&2; exit 1; }
}

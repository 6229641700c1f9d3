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

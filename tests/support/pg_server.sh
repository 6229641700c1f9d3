#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suites (the ctest fixture
# `postgresql`, see tests/CMakeLists.txt).
#
#   pg_server.sh start DIR   initdb in DIR, start on 127.0.0.1 at a free port in
#                            54320-54399 (or CREDFLOW_PG_PORTS, below) with a
#                            private unix-socket directory,
#                            and write DIR/conninfo and DIR/port
#   pg_server.sh stop DIR    stop it and remove DIR and the socket directory
#                            (idempotent)
#   pg_server.sh replica PRIMARY_DIR DIR
#                            a streaming replica (hot standby) of the server
#                            started in PRIMARY_DIR: pg_basebackup -R into
#                            DIR, started like `start`; stop it with `stop DIR`
#
# When CREDFLOW_TEST_PG is set (a keyword/value conninfo of an existing
# server), `start` only writes it to DIR/conninfo and `stop` only removes DIR.
# CREDFLOW_PG_PORTS="FIRST LAST" picks the port from another range (the
# crash test restarts its server, and another server must not take the port
# meanwhile).
#
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user, in a directory that user owns. Trust authentication is
# enabled for loopback and the private socket only. fsync stays on: the
# benchmarks measure durable commits.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR, or $0 replica PRIMARY_DIR DIR" >&2
  exit 2
}

[[ $# -eq 2 || ($# -eq 3 && $1 == replica) ]] || usage
action=$1
dir=${*: -1}

log() { echo "pg_server: $*" >&2; }
die() { log "$*"; exit 1; }

run_as_pg_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

find_bin_dir() {
  local bin
  if command -v pg_config >/dev/null 2>&1; then
    bin=$(pg_config --bindir 2>/dev/null || true)
    if [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]]; then
      echo "$bin"
      return
    fi
  fi
  # shellcheck disable=SC2012
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [[ -n "$bin" && -x "$bin/initdb" && -x "$bin/pg_ctl" ]] ||
    die "no PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql/*/bin"
  echo "$bin"
}

stop_server() {
  local data="$dir/data"
  if [[ -f "$data/postmaster.pid" ]]; then
    local bin
    bin=$(find_bin_dir)
    run_as_pg_user "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      log "pg_ctl stop failed (server already gone?)"
  fi
  if [[ -f "$dir/socket_dir" ]]; then
    local sock
    sock=$(cat "$dir/socket_dir")
    # Only remove what `start` created: a pg-sock.* directory under /tmp.
    case "$sock" in
      /tmp/pg-sock.*) rm -rf -- "$sock" ;;
    esac
  fi
  rm -rf -- "$dir"
}

# Starts the server of DATA on the first free port of the range, with its
# sockets in SOCK; sets `started` to the port.
start_on_a_free_port() {
  local bin=$1 data=$2 sock=$3 port ports
  started=""
  read -r -a ports <<<"${CREDFLOW_PG_PORTS:-54320 54399}"
  [[ ${#ports[@]} -eq 2 ]] || die "CREDFLOW_PG_PORTS must be \"FIRST LAST\""
  for port in $(seq "${ports[0]}" "${ports[1]}"); do
    # Skip ports something else listens on; pg_ctl would fail anyway.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      continue
    fi
    if run_as_pg_user "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$sock -c fsync=on -c max_connections=200" \
        start >/dev/null 2>&1; then
      started=$port
      break
    fi
    log "port $port did not work, trying the next"
  done
  if [[ -z "$started" ]]; then
    [[ -f "$dir/server.log" ]] && tail -n 30 "$dir/server.log" >&2
    die "could not start PostgreSQL on any port in ${ports[0]}-${ports[1]}"
  fi

}

start_server() {
  if [[ -e "$dir/data/postmaster.pid" ]]; then
    log "a server from an earlier run is still registered in $dir; stopping it"
  fi
  stop_server
  mkdir -p "$dir"

  if [[ -n "${CREDFLOW_TEST_PG:-}" ]]; then
    printf '%s\n' "$CREDFLOW_TEST_PG" >"$dir/conninfo"
    log "using the existing server from CREDFLOW_TEST_PG"
    return
  fi

  local bin
  bin=$(find_bin_dir)
  local data="$dir/data"
  local sock
  sock=$(mktemp -d /tmp/pg-sock.XXXXXX)
  echo "$sock" >"$dir/socket_dir"
  mkdir -p "$data"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$dir" "$data" "$sock"
    # The build tree may sit under a directory only root can enter.
    runuser -u postgres -- test -w "$data" ||
      die "the postgres user cannot write $data (is a parent directory closed to it?)"
  fi
  chmod 700 "$data"

  run_as_pg_user "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=reject \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed in $data"; }

  # Trust on loopback only; everything else is rejected.
  cat >"$data/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
host    all       all   ::1/128        trust
host    replication all 127.0.0.1/32   trust
EOF
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$data/pg_hba.conf"; fi

  start_on_a_free_port "$bin" "$data" "$sock"
  echo "$started" >"$dir/port"
  echo "host=127.0.0.1 port=$started user=postgres dbname=postgres" >"$dir/conninfo"
  log "PostgreSQL ($bin) on 127.0.0.1:$started, socket dir $sock, data in $data"
}

start_replica() {
  local primary=$1
  [[ -f "$primary/port" ]] || die "no server started in $primary"
  stop_server
  mkdir -p "$dir"
  local bin sock data="$dir/data"
  bin=$(find_bin_dir)
  sock=$(mktemp -d /tmp/pg-sock.XXXXXX)
  echo "$sock" >"$dir/socket_dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir" "$sock"; fi
  run_as_pg_user "$bin/pg_basebackup" -h 127.0.0.1 -p "$(cat "$primary/port")" -U postgres -D "$data" -R \
    -X stream -c fast >"$dir/basebackup.log" 2>&1 ||
    { cat "$dir/basebackup.log" >&2; die "pg_basebackup from $primary failed"; }
  chmod 700 "$data"
  start_on_a_free_port "$bin" "$data" "$sock"
  echo "$started" >"$dir/port"
  echo "host=127.0.0.1 port=$started user=postgres dbname=postgres" >"$dir/conninfo"
  log "PostgreSQL replica of $primary on 127.0.0.1:$started, data in $data"
}

case "$action" in
  start) start_server ;;
  replica) start_replica "$2" ;;
  stop) stop_server ;;
  *) usage ;;
esac

# Sourced by the browser tests' run scripts (run_*_ui_test.sh), which ctest
# calls as `SCRIPT CREDFLOW CONSOLE_DIR ARTEFACT_DIR`:
#   ui_setup "$@"        arguments, a scratch folder removed at exit (the
#                        server stopped first), a migrated SQLite store in it
#   cf ARGS...           the CLI on that store at the clock date $day
#   start_server ARGS... `credflow serve` on a free loopback port with the
#                        console and ARGS; waits until it listens
#   stop_server
#   run_node TEST.mjs    the test against the server (CREDFLOW_URL,
#                        CREDFLOW_ARTEFACTS, and what the caller exported)
#   no_secret_in_log S   fails when S (a password) is in the server's log
day="${day:-2025-03-03}"
server=""

ui_setup() {
  credflow="$1"
  console="$2"
  artefacts="$3"
  here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
  work="$(mktemp -d)"
  trap 'stop_server; rm -rf "$work"' EXIT
  db="sqlite://$work/store.db"
  mkdir -p "$artefacts"
  cf migrate >/dev/null
}

cf() { "$credflow" --database "$db" --clock-date "$day" "$@"; }

start_server() {
  rm -f "$work/port"
  "$credflow" --database "$db" --clock-date "$day" serve --listen 127.0.0.1:0 --port-file "$work/port" \
     --console "$console" --log-level warn "$@" 2>>"$work/serve.log" &
  server=$!
  for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { echo "serve did not start"; cat "$work/serve.log"; exit 1; }
}

stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}

run_node() {
  CREDFLOW_URL="http://127.0.0.1:$(cat "$work/port")" CREDFLOW_ARTEFACTS="$artefacts" node "$here/$1"
}

no_secret_in_log() {
  if grep -qF -- "$1" "$work/serve.log"; then echo "a password is in the server log"; exit 1; fi
}

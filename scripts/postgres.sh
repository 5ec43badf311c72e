#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1.
#
#   eval "$(bash scripts/postgres.sh start)"   # prints: export AKHBAR_TEST_POSTGRES_URL=postgresql://...
#   bash scripts/postgres.sh stop              # stops it and deletes its files
#   bash scripts/postgres.sh status
#
# start installs PostgreSQL from Debian (apt-get install postgresql) when no initdb/pg_ctl is
# under /usr/lib/postgresql/*/bin, initialises a cluster in $AKHBAR_PG_DIR (default
# /tmp/akhbar-postgres) owned by the `postgres` system user when run as root (the server refuses
# to run as root), starts it on the first free port from $AKHBAR_PG_PORT (default 54329),
# creates the role and database `akhbar` with a random password, and prints the export line.
# Idempotent: start on a running server prints the same line again. Only that line goes to
# stdout; progress and errors go to stderr, the server's log to $AKHBAR_PG_DIR/server.log.
set -euo pipefail

DIR=${AKHBAR_PG_DIR:-/tmp/akhbar-postgres}
FIRST_PORT=${AKHBAR_PG_PORT:-54329}
DB=akhbar
ROLE=akhbar

say() { echo "postgres.sh: $*" >&2; }
# shellcheck source=scripts/apt.sh
. "$(dirname "$0")/apt.sh"
# shellcheck source=scripts/loopback.sh
. "$(dirname "$0")/loopback.sh"

pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

install_postgres() {
  if pg_bin >/dev/null; then return 0; fi
  apt_install postgresql
  pg_bin >/dev/null || { say "no initdb after installing postgresql"; exit 1; }
}

# Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$DIR/data/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

print_url() {
  echo "export AKHBAR_TEST_POSTGRES_URL=postgresql://$ROLE:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/$DB"
}

start() {
  install_postgres
  BIN=$(pg_bin)
  if running && [ -s "$DIR/password" ] && [ -s "$DIR/port" ]; then
    print_url
    return 0
  fi
  # A half-made or stopped cluster from an earlier run: start over.
  [ -e "$DIR" ] && stop_quietly
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi

  local port password
  port=$(free_port "$FIRST_PORT")
  password=$(random_secret)

  as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; say "initdb failed"; exit 1; }
  # Loopback TCP only, the socket in $DIR, and no durability: the data is thrown away.
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1 \
    || { tail -n 20 "$DIR/server.log" >&2 || true; say "the server did not start"; exit 1; }

  # The password travels on stdin, never on a command line.
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$port" -U postgres -d postgres \
    >/dev/null 2>"$DIR/psql.log" <<SQL || { cat "$DIR/psql.log" >&2; say "creating the database failed"; exit 1; }
CREATE ROLE $ROLE LOGIN PASSWORD '$password';
CREATE DATABASE $DB OWNER $ROLE ENCODING 'UTF8';
SQL
  (umask 077; echo "$password" > "$DIR/password"; echo "$port" > "$DIR/port")
  print_url
}

stop_quietly() {
  if [ -f "$DIR/data/PG_VERSION" ]; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

stop() {
  BIN=$(pg_bin) || { rm -rf "$DIR"; return 0; }
  stop_quietly
}

status() {
  BIN=$(pg_bin) || { say "PostgreSQL is not installed"; exit 1; }
  if running; then say "running on 127.0.0.1:$(cat "$DIR/port" 2>/dev/null), files in $DIR"; else say "not running"; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash scripts/postgres.sh start|stop|status" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A throwaway Redis server for the tests (the shared crawl frontier, akhbar/frontier.py), on 127.0.0.1.
#
#   eval "$(bash scripts/redis.sh start)"   # prints: export AKHBAR_TEST_REDIS_URL=redis://:PASSWORD@127.0.0.1:PORT/0
#   bash scripts/redis.sh stop              # stops it and deletes its files
#   bash scripts/redis.sh status
#
# start installs Redis from Debian (apt-get install redis-server) when redis-server is not on
# PATH, and starts it on the first free port from $AKHBAR_REDIS_PORT (default 63790), bound to
# 127.0.0.1 only, with a random password, no persistence, and its config, log and pid file in
# $AKHBAR_REDIS_DIR (default /tmp/akhbar-redis). Idempotent: start on a running server prints
# the same line again. Only that line goes to stdout; progress and errors go to stderr.
set -euo pipefail

DIR=${AKHBAR_REDIS_DIR:-/tmp/akhbar-redis}
FIRST_PORT=${AKHBAR_REDIS_PORT:-63790}

say() { echo "redis.sh: $*" >&2; }
# shellcheck source=scripts/apt.sh
. "$(dirname "$0")/apt.sh"
# shellcheck source=scripts/loopback.sh
. "$(dirname "$0")/loopback.sh"

install_redis() {
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then return 0; fi
  apt_install redis-server
  command -v redis-server >/dev/null || { say "no redis-server after installing it"; exit 1; }
}

# redis-cli against our server; the password travels in the environment, not on a command line.
cli() {
  REDISCLI_AUTH=$(cat "$DIR/password") redis-cli --no-auth-warning -h 127.0.0.1 -p "$(cat "$DIR/port")" "$@"
}

running() {
  [ -s "$DIR/port" ] && [ -s "$DIR/password" ] && [ "$(cli ping 2>/dev/null)" = PONG ]
}

print_url() {
  echo "export AKHBAR_TEST_REDIS_URL=redis://:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/0"
}

start() {
  install_redis
  if running; then
    print_url
    return 0
  fi
  # A stopped or half-made server from an earlier run: start over.
  [ -e "$DIR" ] && stop
  mkdir -p "$DIR"
  chmod 700 "$DIR"

  local port password
  port=$(free_port "$FIRST_PORT")
  password=$(random_secret)
  (
    umask 077
    echo "$password" > "$DIR/password"
    echo "$port" > "$DIR/port"
    # The password lives in this file (mode 600), never on a command line.
    cat > "$DIR/redis.conf" <<EOF
bind 127.0.0.1
port $port
protected-mode yes
requirepass $password
dir $DIR
daemonize yes
pidfile $DIR/redis.pid
logfile $DIR/redis.log
save ""
appendonly no
EOF
  )
  redis-server "$DIR/redis.conf" >&2 || { tail -n 20 "$DIR/redis.log" >&2 || true; say "redis-server did not start"; exit 1; }
  for _ in $(seq 1 100); do
    if running; then print_url; return 0; fi
    sleep 0.1
  done
  tail -n 20 "$DIR/redis.log" >&2 || true
  say "redis-server did not answer on 127.0.0.1:$port within 10 s"
  exit 1
}

stop() {
  local pid=""
  [ -s "$DIR/redis.pid" ] && pid=$(cat "$DIR/redis.pid" 2>/dev/null || true)
  if [ -s "$DIR/port" ] && [ -s "$DIR/password" ]; then
    cli shutdown nosave >/dev/null 2>&1 || true
  fi
  if [ -n "$pid" ]; then
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  # Only a folder this script made (it holds our redis.conf) is removed.
  if [ -f "$DIR/redis.conf" ] || [ -z "$(ls -A "$DIR" 2>/dev/null)" ]; then
    rm -rf "$DIR"
  fi
}

status() {
  if running; then say "running on 127.0.0.1:$(cat "$DIR/port"), files in $DIR"; else say "not running"; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash scripts/redis.sh start|stop|status" >&2; exit 2 ;;
esac

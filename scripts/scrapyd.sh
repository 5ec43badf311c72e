#!/usr/bin/env bash
# A local Scrapyd with HTTP basic auth, for the deployment test (tests/test_scrapyd.py).
#
#   eval "$(bash scripts/scrapyd.sh start)"   # starts it (or finds it running) and prints
#                                             # `export` lines: SCRAPYD_USERNAME, SCRAPYD_PASSWORD,
#                                             # AKHBAR_TEST_SCRAPYD_URL, AKHBAR_TEST_SCRAPYD_ITEMS_DIR
#   bash scripts/scrapyd.sh stop              # stops it and removes its folder
#
# Credentials: SCRAPYD_USERNAME / SCRAPYD_PASSWORD from the environment, random when unset.
# Listens on 127.0.0.1:${AKHBAR_SCRAPYD_PORT:-6800} (scrapy.cfg's [deploy] target). Its config,
# eggs, logs, items and databases live in ${AKHBAR_SCRAPYD_DIR:-$TMPDIR/akhbar-scrapyd-<uid>-<port>}.
# Python: $AKHBAR_PYTHON, else the repo's .venv/bin/python, else python3 on PATH; it must have
# scrapyd installed (`pip install -e '.[test]'`, as scripts/setup.sh does).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${AKHBAR_SCRAPYD_PORT:-6800}
HOST=127.0.0.1
URL="http://$HOST:$PORT"
DIR=${AKHBAR_SCRAPYD_DIR:-${TMPDIR:-/tmp}/akhbar-scrapyd-$(id -u)-$PORT}
PIDFILE=$DIR/scrapyd.pid
ENVFILE=$DIR/env

if [ -n "${AKHBAR_PYTHON:-}" ]; then
  PY=$AKHBAR_PYTHON
elif [ -x "$ROOT/.venv/bin/python" ]; then
  PY=$ROOT/.venv/bin/python
else
  PY=$(command -v python3 || command -v python || true)
fi

die() { echo "scrapyd.sh: $*" >&2; exit 1; }

running_pid() {  # the pid of our Scrapyd if it is alive
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# 0: daemonstatus.json answers "ok" with these credentials; 1: not (yet).
answers() {
  "$PY" - "$URL/daemonstatus.json" "$1" "$2" <<'EOF'
import base64, json, sys, urllib.request
url, user, password = sys.argv[1:4]
token = base64.b64encode(f"{user}:{password}".encode()).decode()
request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
try:
    with urllib.request.urlopen(request, timeout=2) as response:
        sys.exit(0 if json.load(response).get("status") == "ok" else 1)
except Exception:
    sys.exit(1)
EOF
}

port_in_use() {
  "$PY" - "$HOST" "$PORT" <<'EOF'
import socket, sys
with socket.socket() as s:
    s.settimeout(1)
    sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
EOF
}

wait_until_ready() {  # user password
  local pid
  for _ in $(seq 1 120); do
    if answers "$1" "$2"; then return 0; fi
    pid=$(running_pid) || {
      tail -n 30 "$DIR/scrapyd.log" >&2 2>/dev/null || true
      die "scrapyd exited before answering on $URL (log: $DIR/scrapyd.log)"
    }
    sleep 0.25
  done
  die "scrapyd (pid $pid) did not answer $URL/daemonstatus.json within 30 s (log: $DIR/scrapyd.log)"
}

start() {
  [ -n "$PY" ] || die "no Python found (set AKHBAR_PYTHON or run scripts/setup.sh)"
  "$PY" -c "import scrapyd" 2>/dev/null \
    || die "scrapyd is not installed for $PY: run scripts/setup.sh (installs '.[test]')"

  if running_pid >/dev/null; then  # already running: same server, same credentials
    # shellcheck disable=SC1090
    saved_user=$(. "$ENVFILE" && echo "$SCRAPYD_USERNAME")
    saved_pass=$(. "$ENVFILE" && echo "$SCRAPYD_PASSWORD")
    if { [ -n "${SCRAPYD_USERNAME:-}" ] && [ "$SCRAPYD_USERNAME" != "$saved_user" ]; } ||
       { [ -n "${SCRAPYD_PASSWORD:-}" ] && [ "$SCRAPYD_PASSWORD" != "$saved_pass" ]; }; then
      die "a Scrapyd with other credentials runs on $URL: 'bash scripts/scrapyd.sh stop' first"
    fi
    wait_until_ready "$saved_user" "$saved_pass"
    cat "$ENVFILE"
    return 0
  fi

  port_in_use && die "port $PORT on $HOST is taken by another process (set AKHBAR_SCRAPYD_PORT)"

  local user=${SCRAPYD_USERNAME:-} pass=${SCRAPYD_PASSWORD:-}
  [ -n "$user" ] || user=akhbar-$("$PY" -c 'import secrets; print(secrets.token_hex(4))')
  [ -n "$pass" ] || pass=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
  case "$user$pass" in *$'\n'*) die "SCRAPYD_USERNAME/SCRAPYD_PASSWORD must be one line";; esac
  case "$user" in *:*) die "SCRAPYD_USERNAME must not contain ':'";; esac

  (umask 077 && mkdir -p "$DIR"/{eggs,logs,items,dbs})
  (
    umask 077
    # Scrapyd reads scrapyd.conf from its working directory; '%' is ConfigParser's escape.
    cat > "$DIR/scrapyd.conf" <<EOF
[scrapyd]
bind_address = $HOST
http_port = $PORT
username = ${user//%/%%}
password = ${pass//%/%%}
eggs_dir = $DIR/eggs
logs_dir = $DIR/logs
items_dir = $DIR/items
dbs_dir = $DIR/dbs
poll_interval = 1.0
jobs_to_keep = 100
EOF
    {
      printf 'export SCRAPYD_USERNAME=%q\n' "$user"
      printf 'export SCRAPYD_PASSWORD=%q\n' "$pass"
      printf 'export AKHBAR_TEST_SCRAPYD_URL=%q\n' "$URL"
      printf 'export AKHBAR_TEST_SCRAPYD_ITEMS_DIR=%q\n' "$DIR/items"
    } > "$ENVFILE"
  )

  # Detached from this shell (and its process group); credentials only in the config file,
  # so the spider processes Scrapyd starts do not inherit them.
  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  (
    cd "$DIR"
    nohup "${detach[@]}" env -u SCRAPYD_USERNAME -u SCRAPYD_PASSWORD \
      "$PY" -m scrapyd --pidfile "$PIDFILE" --logfile "$DIR/scrapyd.log" \
      </dev/null >"$DIR/stdout.log" 2>&1 &
  )
  # The pidfile appears once twistd has started.
  for _ in $(seq 1 80); do
    running_pid >/dev/null && break
    sleep 0.25
  done
  wait_until_ready "$user" "$pass"
  cat "$ENVFILE"
}

stop() {
  local pid
  if pid=$(running_pid); then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  # Only a folder this script made (it holds our scrapyd.conf) is removed.
  if [ -f "$DIR/scrapyd.conf" ]; then
    rm -rf "$DIR"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: bash scripts/scrapyd.sh start|stop" >&2; exit 2 ;;
esac

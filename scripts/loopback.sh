# Sourced by the service scripts that start a server on 127.0.0.1 (PostgreSQL, Redis).
# The caller defines say().

# free_port FIRST: the first port from FIRST up that nothing on 127.0.0.1 listens on.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    if [ "$port" -gt $(($1 + 100)) ]; then say "no free port from $1"; exit 1; fi
  done
  echo "$port"
}

# random_secret: 32 hex characters from /dev/urandom (a password made for one test run).
random_secret() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

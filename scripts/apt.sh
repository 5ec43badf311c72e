# Sourced by the service scripts: apt_install PACKAGE installs one Debian package, quietly.
# Needs root. `apt-get update` runs only when the install fails without it (a new machine's
# package lists are empty; a used one's are usually current). Output goes to stderr, and only
# the tail of it when the install fails. The caller defines say().

apt_install() {
  local package=$1 log
  if [ "$(id -u)" != 0 ]; then
    say "$package is not installed and installing it needs root (apt-get install $package)"
    exit 1
  fi
  say "installing $package (apt-get install $package)"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! apt-get install -y -qq --no-install-recommends "$package" >"$log" 2>&1; then
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$package"; } >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      rm -f "$log"
      say "installing $package failed"
      exit 1
    fi
  fi
  rm -f "$log"
}

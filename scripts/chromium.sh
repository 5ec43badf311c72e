#!/usr/bin/env bash
# The system Chromium that JavaScript rendering uses (akhbar/rendering.py, tests/test_rendering.py).
#
#   bash scripts/chromium.sh      # installs Debian's `chromium` when $AKHBAR_CHROMIUM (default
#                                 # /usr/bin/chromium) is absent; prints nothing on success
#
# Never Playwright's own browser download (`playwright install`): it is not needed.
# Errors go to stderr; exit 1 when Chromium cannot be installed.
set -euo pipefail

CHROMIUM=${AKHBAR_CHROMIUM:-/usr/bin/chromium}

say() { echo "chromium.sh: $*" >&2; }

if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$CHROMIUM" != /usr/bin/chromium ]; then
  say "AKHBAR_CHROMIUM=$CHROMIUM is not an executable (unset it to install Debian's chromium)"
  exit 1
fi
# shellcheck source=scripts/apt.sh
. "$(dirname "$0")/apt.sh"
apt_install chromium
[ -x "$CHROMIUM" ] || { say "no $CHROMIUM after installing chromium"; exit 1; }

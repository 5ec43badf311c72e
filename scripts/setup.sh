#!/usr/bin/env bash
# Creates .venv (if missing) and installs akhbar with its test dependencies into it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# pip 23.2 (the one a fresh venv brings here) fails on lxml[html-clean]: upgrade first.
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'

#!/usr/bin/env bash
# Set up everything the README's commands need, idempotently: a virtualenv in .venv with the
# project installed, and Graphviz's `dot` (plus Chromium for the test suite's browser test).
# Usage: scripts/bootstrap.sh demo|test
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "tinygrad-course needs Python >= 3.10 (found: $("$py" --version 2>&1))." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$py" -m venv .venv
fi

extras=$([ "$mode" = demo ] && echo "data,plot" || echo "dev")
stamp=".venv/.installed-$mode-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> installing tinygrad-course[$extras] into .venv"
  # Quiet unless it fails: build backends print notices that are not ours to act on.
  if ! { .venv/bin/python -m pip install -q --upgrade pip \
         && .venv/bin/python -m pip install -q -e ".[$extras]"; } >.venv/install.log 2>&1; then
    cat .venv/install.log >&2
    echo "installing tinygrad-course[$extras] failed (log above, also in .venv/install.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi

# System packages: only where missing, and only where we may install them.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing $* with apt-get"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } \
        >/tmp/tinygrad-course-apt.log 2>&1; then
      echo "note: apt-get install $* failed (see /tmp/tinygrad-course-apt.log)" >&2
    fi
  else
    echo "note: '$1' is missing and this user cannot apt-get it; install it" \
         "(e.g. sudo apt-get install $*) - tests that need it will skip." >&2
  fi
}
command -v dot >/dev/null 2>&1 || apt_install graphviz
if [ "$mode" = test ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || apt_install chromium
fi
exit 0

#!/usr/bin/env bash
# Set up everything the README's commands need, idempotently: a virtualenv in .venv with the
# project installed, and Graphviz's `dot` (plus Chromium for the test suite's browser test),
# which are installed system-wide with apt-get when missing and this user is root.
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

# System packages: only where missing, and only where we may install them (root with apt-get).
# These are the only things installed outside .venv: Graphviz's `dot` (graph pictures) and,
# for `make test`, Chromium (the test of the step-by-step page in a headless browser).
# apt-get waits up to APT_LOCK_TIMEOUT seconds (default 300) for another apt/dpkg to finish
# instead of failing at once; its log goes to .venv/apt-get.log, inside the project.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    local log=.venv/apt-get.log wait=${APT_LOCK_TIMEOUT:-300}
    echo "==> installing $* system-wide with apt-get (log: $log)"
    if ! { apt-get -o DPkg::Lock::Timeout="$wait" update -qq \
           && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$wait" \
                install -y -qq "$@"; } >"$log" 2>&1; then
      echo "note: apt-get install $* failed (see $log) - tests that need it will skip." >&2
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

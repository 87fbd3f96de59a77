#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run it all:
# lint, type checks, and pytest on SQLite, PostgreSQL and headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Browser tests drive Debian's Chromium; CJK fonts so Chinese renders in screenshots.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  echo "== installing chromium and fonts-noto-cjk from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

# PostgreSQL runs on these machines; start the local cluster if it is down.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "== starting the local PostgreSQL cluster"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi

# Redis runs on these machines too (shared rate limits and caches); start it if it is down.
if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "== starting Redis on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes >/dev/null || true
fi

echo "== installing noticeboard with its test dependencies"
pip_log=$(mktemp)
if ! python3 -m pip install -q --disable-pip-version-check -e '.[test]' >"$pip_log" 2>&1; then
  cat "$pip_log" >&2
  exit 1
fi
rm -f "$pip_log"

echo "== ruff"
python3 -m ruff check .
python3 -m ruff format --check .
echo "== mypy --strict (diffing, services)"
python3 -m mypy

echo "== pip-audit (pinned dependencies)"
python3 scripts/audit.py

echo "== pytest"
set +e
python3 -m pytest --cov --cov-report=term:skip-covered -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: the suite is broken" >&2
  exit 1
fi
exit "$status"

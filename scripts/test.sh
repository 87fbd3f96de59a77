#!/usr/bin/env bash
# Set up everything the test suite needs, then run it all: the lock check, lint, type checks,
# layer contracts, the dependency audit, and pytest on SQLite, PostgreSQL, Redis and headless
# Chromium. Idempotent: a second run installs nothing. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

ensure_system_packages
ensure_services
ensure_uv
say "checking that uv.lock matches pyproject.toml"
"$NOTICEBOARD_UV_PYTHON" scripts/lock.py --check
say "installing from uv.lock into ${VENV#"$PWD"/} (the package and the test group)"
sync_environment --group test
PY="$VENV/bin/python"

say "ruff"
"$PY" -m ruff check .
"$PY" -m ruff format --check .
say "mypy --strict (diffing, services)"
"$PY" -m mypy
if grep -q '^\[tool.importlinter\]' pyproject.toml; then
  say "import-linter (layer contracts)"
  "$VENV/bin/lint-imports"
fi

say "pip-audit (every pin in uv.lock)"
set +e
audit_output=$("$PY" scripts/audit.py 2>&1)
audit_status=$?
set -e
printf '%s\n' "$audit_output"
if [ "$audit_status" -ne 0 ] && [ "$audit_status" -ne 3 ]; then
  exit 1
fi

say "pytest"
summary_file=$(mktemp)
trap 'rm -f "$summary_file"' EXIT
set +e
# No coverage by default, to keep the run under 10 minutes: the last run with branch coverage
# took 13 min 29 s, the first without it 8 min 42 s (this 2-core machine, one run each).
# `bash scripts/test.sh --cov --cov-report=term:skip-covered` adds the report.
NOTICEBOARD_TEST_SUMMARY="$summary_file" "$PY" -m pytest --durations=15 -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: the suite is broken" >&2
  status=1
fi

say "summary"
if [ "$audit_status" -eq 3 ]; then
  echo "!! dependencies NOT audited: ${audit_output##*$'\n'}"
else
  echo "dependencies audited: no known vulnerabilities"
fi
cat "$summary_file"
[ "$status" -eq 0 ] || echo "tests FAILED: pytest exit status $status"
exit "$status"

#!/usr/bin/env bash
# One command for the demo site: set up .venv from uv.lock, then serve the demo data at
# http://127.0.0.1:5000 with one in-process worker. Idempotent; extra arguments go to
# `noticeboard serve --demo` (e.g. --port 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

ensure_system_packages
ensure_uv
say "installing from uv.lock into ${VENV#"$PWD"/}"
# --inexact keeps the test tools if scripts/test.sh installed them: nothing is reinstalled.
sync_environment --inexact
exec "$VENV/bin/noticeboard" serve --demo "$@"

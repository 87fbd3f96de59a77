#!/usr/bin/env bash
# Install the site for production from uv.lock into .venv (runtime dependencies only, exactly
# as locked, with hashes). Idempotent. Then: .venv/bin/noticeboard init-db, gunicorn, workers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

ensure_uv
say "installing from uv.lock into ${VENV#"$PWD"/} (runtime dependencies only)"
sync_environment --no-dev

#!/usr/bin/env bash
# Refresh every pin: uv.lock, the build constraints and requirements/uv.txt.
#   bash scripts/lock.sh            re-lock after editing pyproject.toml, keeping other pins
#   bash scripts/lock.sh --upgrade  move every pin to the newest release pyproject allows
# Then run `bash scripts/test.sh` and commit the three files with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
exec "$NOTICEBOARD_UV_PYTHON" scripts/lock.py "$@"

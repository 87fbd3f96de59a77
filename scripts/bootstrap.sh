# Shared set-up for scripts/demo.sh, scripts/test.sh and scripts/lock.sh; sourced, not run.
#
# Everything here is idempotent: a second run checks, finds it right, and installs nothing.
#   ensure_uv               the pinned uv (requirements/uv.txt, with hashes) in .tools/
#   ensure_system_packages  Debian's chromium and fonts-noto-cjk (never a browser download)
#   ensure_services         the local PostgreSQL and Redis, started if they are down
#   sync_environment ARGS   .venv exactly as uv.lock says (`uv sync --locked`)
#
# Pipelines: under pipefail a reader that stops early (grep -q, head) kills its writer with
# SIGPIPE and fails the pipeline, so command output is captured first and tested after.

TOOLS_DIR="$PWD/.tools"
UV="$TOOLS_DIR/bin/uv"
VENV="${UV_PROJECT_ENVIRONMENT:-$PWD/.venv}"
export UV_PROJECT_ENVIRONMENT="$VENV"
NOTICEBOARD_UV_PYTHON="${NOTICEBOARD_UV_PYTHON:-python3}"
SYSTEM_PACKAGES=(chromium fonts-noto-cjk)

say() { printf '== %s\n' "$*"; }

wanted_uv_version() {
  local line
  line=$(grep -E '^uv==' requirements/uv.txt)
  line=${line%% *}
  printf '%s' "${line#uv==}"
}

ensure_uv() {
  local wanted have=""
  wanted=$(wanted_uv_version)
  if [ -x "$UV" ]; then
    have=$("$UV" --version 2>/dev/null || true)
  fi
  if [ "$have" = "uv $wanted" ] || [[ "$have" == "uv $wanted "* ]]; then
    return 0
  fi
  say "installing uv $wanted into .tools/ (pinned with hashes in requirements/uv.txt)"
  rm -rf "$TOOLS_DIR"
  "$NOTICEBOARD_UV_PYTHON" -m venv "$TOOLS_DIR"
  "$TOOLS_DIR/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-hashes --only-binary :all: -r requirements/uv.txt
}

missing_system_packages() {
  local fonts missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fonts=$(fc-list : family 2>/dev/null || true)
  [[ "$fonts" == *"Noto Sans CJK"* ]] || missing+=(fonts-noto-cjk)
  printf '%s\n' "${missing[@]}"
}

ensure_system_packages() {
  local missing
  mapfile -t missing < <(missing_system_packages | sed '/^$/d')
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${SYSTEM_PACKAGES[*]}" >&2
    exit 2
  fi
  say "installing ${missing[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${SYSTEM_PACKAGES[@]}" >/dev/null
}

ensure_services() {
  local clusters
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
      clusters=(/etc/postgresql/*)
      say "starting the local PostgreSQL cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(basename "${clusters[0]}")" main start || true
    fi
  fi
  if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "starting Redis on 127.0.0.1:6379"
    redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null || true
  fi
}

sync_environment() {
  # --locked: uv.lock must already match pyproject.toml, or this fails (`bash scripts/lock.sh`).
  # --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on these machines) nothing
  # else writes .pyc files, and every `noticeboard` process compiled ~1,400 modules anew: 3 s
  # of each command's start, and minutes of the test suite, which starts many of them.
  "$UV" sync --locked --quiet --compile-bytecode "$@"
}

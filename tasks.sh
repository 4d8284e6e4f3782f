#!/usr/bin/env bash
# The project's task runner (our Makefile): bash tasks.sh <task> [args…]
#
#   briefing [PERIOD]  set up, then render the briefing of PERIOD (default: the latest) into reports/
#   test [PYTEST ARGS] set up with the test extras, then ruff, mypy and the whole test suite
#   setup              create .venv, install the package and the system packages (Chromium, poppler)
#   validate [DIR]     check a data folder (default: data/)
#   data               regenerate data/ from the seeded generator
#   lab [LAB ARGS]     start JupyterLab on working copies of the notebooks (notebooks/work/, git-ignored),
#                      offline (no news, no update checks); as root it adds --allow-root and says so
#   lock [UV ARGS]     re-resolve requirements/*.txt after a change to pyproject.toml
#                      (--upgrade: newest allowed versions; --upgrade-package NAME: one)
#
# Works on a fresh Debian/Ubuntu machine with Python 3.11+; system packages are
# installed with apt-get (as root, or through sudo when available). Python
# packages come from the lock files requirements/base.txt and requirements/test.txt
# (exact versions and hashes); the package itself is installed editable on top.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PYTHON=${PYTHON:-python3}
VENV=.venv
BIN=$VENV/bin

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
log() { printf '\033[1m[tasks]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

system_packages() {
  local need=() extras=${1:-}
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
  "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
  # The tests re-save workbooks with another spreadsheet program (LibreOffice Calc, headless).
  if [ "$extras" = test ]; then command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui); fi
  if [ "$extras" = test ]; then [ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui fonts-liberation); fi
  [ ${#need[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "cannot install ${need[*]}: no apt-get here; install them with your package manager"
    return 0
  fi
  log "installing system packages: ${need[*]}"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
    log "could not install ${need[*]} (need root or sudo); PDF output or some tests will be unavailable"
  fi
}

python_env() {
  local extras=$1 lock="requirements/$1.txt" have want
  # A test environment serves every task; a base one only the non-test tasks.
  for have in test "$extras"; do
    want="$(cat pyproject.toml "requirements/$have.txt" | sha256sum | cut -c1-16)-$have"
    if [ -x "$BIN/python" ] && [ "$(cat "$VENV/.stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  done
  log "creating $VENV and installing cchc_analysis from $lock"
  [ -x "$BIN/python" ] || "$PYTHON" -m venv "$VENV"
  "$BIN/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  # Every package at the version and with the hashes of the lock, then the package itself without
  # resolving anything again.
  "$BIN/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  "$BIN/python" -m pip install -q --disable-pip-version-check --no-deps -e .
  echo "$(cat pyproject.toml "$lock" | sha256sum | cut -c1-16)-$extras" > "$VENV/.stamp"
}

# The lock files are resolved by uv (pinned here, installed in its own .venv-lock/) for every platform
# and Python >= 3.11 (--universal), with the hashes of every file of every pinned version. test.txt is
# resolved first; base.txt takes its versions from it, so the two never disagree.
UV_VERSION=0.13.9
lock() {
  local tool=.venv-lock
  if [ "$("$tool/bin/uv" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    log "installing uv $UV_VERSION into $tool"
    "$PYTHON" -m venv "$tool"
    "$tool/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
  fi
  local compile=("$tool/bin/uv" pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes
    --custom-compile-command "bash tasks.sh lock" --quiet)
  "${compile[@]}" --extra test -o requirements/test.txt "$@"
  "${compile[@]}" -c requirements/test.txt -o requirements/base.txt
  log "requirements/base.txt and requirements/test.txt are up to date with pyproject.toml"
}

# What CI runs: the linters and the type checker (configured in pyproject.toml), then the tests.
check() {
  log "ruff check"; "$BIN/ruff" check .
  log "ruff format --check"; "$BIN/ruff" format --check .
  log "mypy"; "$BIN/mypy"
  log "pytest"; "$BIN/python" -m pytest -n auto "$@"
}

setup() { system_packages "$1"; python_env "$1"; }

task=${1:-help}
shift || true
case "$task" in
  setup) setup test ;;
  briefing) setup base && "$BIN/cchc" report "$@" ;;
  test) setup test && check "$@" ;;
  validate) setup base && "$BIN/cchc" validate "$@" ;;
  data) setup base && "$BIN/cchc" generate-data "$@" ;;
  lab) setup base && "$BIN/python" -m cchc_analysis.lab "$@" ;;
  lock) lock "$@" ;;
  help|-h|--help) usage ;;
  *) log "unknown task '$task'"; usage; exit 2 ;;
esac

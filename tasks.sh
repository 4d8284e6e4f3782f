#!/usr/bin/env bash
# The project's task runner (our Makefile): bash tasks.sh <task> [args…]
#
#   briefing [PERIOD]  set up, then render the briefing of PERIOD (default: the latest) into reports/
#   test [PYTEST ARGS] set up with the test extras, then run the whole test suite
#   setup              create .venv, install the package and the system packages (Chromium, poppler)
#   validate [DIR]     check a data folder (default: data/)
#   data               regenerate data/ from the seeded generator
#   lab                start JupyterLab on notebooks/
#
# Works on a fresh Debian/Ubuntu machine with Python 3.11+; system packages are
# installed with apt-get (as root, or through sudo when available).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PYTHON=${PYTHON:-python3}
VENV=.venv
BIN=$VENV/bin

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
  local extras=$1 stamp spec=.
  [ "$extras" = test ] && spec=".[test]"
  stamp="$(sha256sum pyproject.toml | cut -c1-16)"
  # A test environment serves every task; a base one only the non-test tasks.
  for have in "$stamp-test" "$stamp-$extras"; do
    if [ -x "$BIN/python" ] && [ "$(cat "$VENV/.stamp" 2>/dev/null)" = "$have" ]; then return 0; fi
  done
  log "creating $VENV and installing cchc_analysis ($extras)"
  [ -x "$BIN/python" ] || "$PYTHON" -m venv "$VENV"
  "$BIN/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  "$BIN/python" -m pip install -q --disable-pip-version-check -e "$spec"
  echo "$stamp-$extras" > "$VENV/.stamp"
}

setup() { system_packages "$1"; python_env "$1"; }

task=${1:-help}
shift || true
case "$task" in
  setup) setup test ;;
  briefing) setup base && "$BIN/cchc" report "$@" ;;
  test) setup test && "$BIN/python" -m pytest -n auto "$@" ;;
  validate) setup base && "$BIN/cchc" validate "$@" ;;
  data) setup base && "$BIN/cchc" generate-data "$@" ;;
  lab) setup base && "$BIN/jupyter" lab notebooks/ "$@" ;;
  help|-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) log "unknown task '$task'"; sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

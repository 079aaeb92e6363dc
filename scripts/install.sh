#!/usr/bin/env bash
# Installs everything the extractor needs on a fresh Debian/Ubuntu machine, into a project
# virtual environment `.venv` (the distribution's Python refuses `pip install` under PEP 668).
#   bash scripts/install.sh          system packages (Tesseract + Vietnamese) and the package with its readers
#   bash scripts/install.sh --dev    also everything the tests need (Ray, spaCy, notebooks, Chromium)
# Then run `.venv/bin/extractor …` and `.venv/bin/python -m pytest` (or `source .venv/bin/activate`).
# PYTHON=/path/to/python3 picks the interpreter the environment is made from (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"

python=${PYTHON:-python3}
venv=.venv

apt_pkgs="tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core fonts-freefont-ttf"
[ $dev -eq 1 ] && apt_pkgs="$apt_pkgs chromium"
# `python3 -m venv` needs the python3-venv package on Debian/Ubuntu (ensurepip is split out)
[ -x "$venv/bin/python" ] || "$python" -c 'import ensurepip, venv' >/dev/null 2>&1 || apt_pkgs="$apt_pkgs python3-venv"
if command -v apt-get >/dev/null; then
  missing=""
  for p in $apt_pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    echo "installing system packages:$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
  fi
else
  echo "warning: no apt-get; install Tesseract with the Vietnamese model yourself for OCR" >&2
fi

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "error: $("$python" --version 2>&1) is too old; Python >= 3.11 is needed (set PYTHON=...)" >&2; exit 1; }
if [ ! -x "$venv/bin/python" ]; then
  # a half-made environment (venv failed before python3-venv was there) is made again
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install -q --upgrade pip
if [ $dev -eq 1 ]; then
  "$py" -m pip install -q -e ".[all]"
  # the notebooks' kernel `python3` is this environment's interpreter, kept inside .venv
  "$py" -m ipykernel install --sys-prefix --name python3 >/dev/null
else
  "$py" -m pip install -q -e ".[pdf,ocr,docx,nlp]"
fi
echo "installed: $("$venv/bin/extractor" --version) in $venv (run $venv/bin/extractor, or source $venv/bin/activate)"

#!/usr/bin/env bash
# Installs everything the extractor needs on a fresh Debian/Ubuntu machine.
#   bash scripts/install.sh          system packages (Tesseract + Vietnamese) and the package with its readers
#   bash scripts/install.sh --dev    also everything the tests need (Ray, spaCy, notebooks, Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"

apt_pkgs="tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core fonts-freefont-ttf"
[ $dev -eq 1 ] && apt_pkgs="$apt_pkgs chromium"
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

python3 -m pip install -q --upgrade pip
if [ $dev -eq 1 ]; then
  python3 -m pip install -q -e ".[all]"
  python3 -m ipykernel install --user --name python3 >/dev/null 2>&1 || true
else
  python3 -m pip install -q -e ".[pdf,ocr,docx,nlp]"
fi
echo "installed: $(python3 -m extractor --help >/dev/null && echo 'extractor OK')"

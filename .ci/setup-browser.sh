#!/usr/bin/env bash
# System package for the browser tests, on a fresh Debian machine.
#   chromium   headless browser for tests/test_browser_maps.py and bench/bench_map.py
#              (driven by the Python package playwright with executable_path=/usr/bin/chromium;
#              no browser is ever downloaded by a test tool)
#   poppler-utils  pdftotext, with which tests read the words of the print maps and sheets (they skip without it)
# The print maps need no system font: yuanluo.maps.static draws with the CJK font shipped in maps/fonts/.
# Idempotent: does nothing (and needs no network) when Chromium is already there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)

if [ ${#need[@]} -eq 0 ]; then
  echo "setup-browser: chromium already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-browser: need root (or sudo) to install: ${need[*]}" >&2; exit 1
  fi
fi
echo "setup-browser: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "setup-browser: done"

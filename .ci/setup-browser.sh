#!/usr/bin/env bash
# System packages for the browser tests and the print maps, on a fresh Debian machine.
#   chromium             headless browser for tests/test_browser_maps.py and bench/bench_map.py
#                        (driven by the Python package playwright with executable_path=/usr/bin/chromium;
#                        no browser is ever downloaded by a test tool)
#   fonts-wqy-microhei   one CJK font for matplotlib print maps (yuanluo.maps.static): ~5 MB download, a
#                        TrueType font that matplotlib embeds in PDFs as Type 42; fonts-noto-cjk looks
#                        better but is ~60 MB, so it is used when present and not installed here.
# Idempotent: does nothing (and needs no network) when both are already there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -qiE "WenQuanYi Micro Hei|Noto Sans CJK SC"; then
  need+=(fonts-wqy-microhei)
fi
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)

if [ ${#need[@]} -eq 0 ]; then
  echo "setup-browser: chromium and a CJK font already installed"
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
# matplotlib caches the font list; a stale cache would hide the new font
rm -rf "${HOME:-/root}/.cache/matplotlib" 2>/dev/null || true
echo "setup-browser: done"

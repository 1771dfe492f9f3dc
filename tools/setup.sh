#!/usr/bin/env bash
# Everything `make serve` and `make test` need on a fresh machine:
# a virtualenv in the checkout with CPU PyTorch and the site's packages, and, for the
# browser test, Debian's chromium with a CJK font (Playwright cannot download its own here).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# torch==2.13.0 is pinned in pyproject.toml: a CPU build; an unpinned torch pulls CUDA.
.venv/bin/python -m pip install --quiet -e ".[site,test]"

if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium and a CJK font for the browser test"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  else
    echo "NOTE: the browser test needs chromium and a CJK font (Debian: apt-get install chromium fonts-wqy-microhei)" >&2
  fi
fi

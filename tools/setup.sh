#!/usr/bin/env bash
# Everything `make serve` and `make test` need on a fresh machine:
# a virtualenv in the checkout with CPU PyTorch and the locked packages, and, for the
# browser test, Debian's chromium with a CJK font (Playwright cannot download its own here).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip

# torch first, alone (--no-deps), from the PyTorch CPU wheel index: PyPI's Linux torch of the
# same version carries CUDA (several GB). Only torch itself comes from there; its dependencies
# are in the lock (naming that index for every package would let it answer for any of them).
# A wheel folder configured for pip on this machine is used when it holds the pinned torch;
# TORCH_INDEX_URL picks another build (e.g. https://download.pytorch.org/whl/cu128 for CUDA).
torch_pin=$(.venv/bin/python -c 'import tomllib; print(next(d for d in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"] if d.startswith("torch==")))')
if [ -z "${TORCH_INDEX_URL:-}" ] && .venv/bin/python -m pip install --quiet --no-deps --no-index "$torch_pin" 2>/dev/null; then
  echo "torch: $torch_pin from this machine's wheel folder"
else
  .venv/bin/python -m pip install --quiet --no-deps "$torch_pin" --index-url "${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"
fi
# Everything else exactly as locked, each file checked against its hash (`make lock` writes
# the lock from pyproject.toml). The code itself is not installed: everything runs from the
# repository root, so there is no second copy of snippets/ to go stale.
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
.venv/bin/python -m pip check

if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium and a CJK font for the browser test"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
  else
    echo "NOTE: the browser test needs chromium and a CJK font (Debian: apt-get install chromium fonts-wqy-microhei)" >&2
  fi
fi

"""`make lock`: write requirements.lock, every package the project installs, pinned with hashes.

The input is pyproject.toml's dependencies and its site, test and dev extras, with torch
replaced by torch's own dependencies: torch comes from the PyTorch CPU wheel index, which this
machine cannot reach, and tools/setup.sh installs it alone (--no-deps) at the version
pyproject pins. `uv pip compile --universal` resolves for every supported Python on Linux and
macOS, x86-64 and arm64, preferring the versions installed in the running environment (the
ones the committed outputs were made with). The lock's second line records a hash of the
input, so tests/site/test_lock.py fails when pyproject.toml changes without `make lock`.

    python -m tools.lock
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from tools.regions import ROOT

LOCK = ROOT / "requirements.lock"
EXTRAS = ("site", "test", "dev")
# torch 2.13.0's Requires-Dist (its wheel's METADATA), without the optional extras.
TORCH_DEPENDENCIES = ["filelock", "typing-extensions>=4.10.0", "setuptools>=77.0.3", "sympy>=1.13.3",
                      "networkx>=2.5.1", "jinja2", "fsspec>=0.8.5"]


def torch_pin() -> str:
    return next(d for d in _project()["dependencies"] if d.startswith("torch=="))


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def lock_input() -> list[str]:
    project = _project()
    wanted = [d for d in project["dependencies"] if not d.startswith("torch")] + TORCH_DEPENDENCIES
    for extra in EXTRAS:
        wanted += [d for d in project["optional-dependencies"][extra] if not d.startswith(project["name"])]
    return wanted


def input_hash() -> str:
    return hashlib.sha256("\n".join(lock_input()).encode()).hexdigest()[:16]


def main() -> int:
    installed = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
        if d.metadata["Name"] and d.metadata["Name"].lower() not in ("torch", "pip", "pyml-notes")
    )
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "in.txt").write_text("\n".join(lock_input()) + "\n")
        # Preferred, not required: a package this environment lacks a wheel for elsewhere may differ.
        Path(tmp, "prefer.txt").write_text("\n".join(installed) + "\n")
        done = subprocess.run(
            [sys.executable, "-m", "uv", "pip", "compile", "in.txt", "--universal", "--generate-hashes",
             "--python-version", "3.11", "--no-header", "--no-annotate", "--output-file", "out.txt",
             "--constraints", "prefer.txt"],
            cwd=tmp, capture_output=True, text=True)
        if done.returncode:  # the installed set does not fit every platform: resolve freely
            done = subprocess.run(
                [sys.executable, "-m", "uv", "pip", "compile", "in.txt", "--universal", "--generate-hashes",
                 "--python-version", "3.11", "--no-header", "--no-annotate", "--output-file", "out.txt"],
                cwd=tmp, capture_output=True, text=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        body = Path(tmp, "out.txt").read_text()
    body = re.sub(r"^torch==.*\n(?:    --hash.*\n)*", "", body, flags=re.M)
    LOCK.write_text(
        "# Written by `make lock` (tools/lock.py) from pyproject.toml; do not edit.\n"
        f"# input {input_hash()}; torch ({torch_pin()}) is installed apart, see tools/setup.sh\n" + body
    )
    print(f"wrote {LOCK.relative_to(ROOT)}: {body.count('==')} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())

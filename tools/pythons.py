"""`make test-pythons`: the tests that need only the standard library, on every supported Python.

For each supported version found on this machine (`python3.X` on PATH, or pyenv's), a
virtualenv under .cache/pythons/ with nothing but pytest runs the tests of the articles whose
code needs only the standard library, their stale-output check (printed outputs of that
Python: see tools/outputs.output_files) and the page checks. A version that is not installed
is reported as not checked, never as passed.

    python -m tools.pythons [--outputs] [3.12 ...]

--outputs first regenerates those articles' printed outputs under each version (writing a
<mod>.<region>.py3NN.txt where that Python prints something else).
"""

from __future__ import annotations

import ast
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tools.regions import ROOT, package, pages, reader_modules

SUPPORTED = ("3.11", "3.12", "3.13")
LOCAL = ("snippets", "tools", "tests")


def interpreter(version: str) -> str | None:
    """A working python3.X: pyenv's, else one on PATH (a pyenv shim for a version that is not
    selected exists but does not run, hence the check)."""
    pyenv = sorted(glob.glob(str(Path.home() / f".pyenv/versions/{version}.*/bin/python{version}")), reverse=True)
    for candidate in [*pyenv, shutil.which(f"python{version}")]:
        if candidate and subprocess.run([candidate, "-c", f"import sys; assert sys.version.startswith('{version}.')"],
                                        capture_output=True).returncode == 0:
            return candidate
    return None


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def third_party(path: Path, seen: set[Path] | None = None) -> set[str]:
    """Modules outside the standard library that a file imports, following this repository's
    own modules (a function-level import counts too: the test may reach it)."""
    seen = set() if seen is None else seen
    seen.add(path)
    found = set()
    for name in imports(path):
        top = name.split(".")[0]
        if top in LOCAL:
            for candidate in (ROOT / (name.replace(".", "/") + ".py"), ROOT / name.replace(".", "/") / "__init__.py"):
                if candidate.is_file() and candidate not in seen:
                    found |= third_party(candidate, seen)
        elif top not in sys.stdlib_module_names and top not in ("__future__", "pytest", *reader_modules()):
            found.add(top)
    return found


def stdlib_slugs() -> list[str]:
    """Articles none of whose snippet modules imports anything outside the standard library
    (figures.py aside: figures are drawn with the oldest Python only)."""
    return [
        slug for slug in sorted(pages("zh"))
        if not any(third_party(p) for p in (ROOT / "snippets" / package(slug)).glob("*.py") if p.name != "figures.py")
    ]


def selection() -> list[str]:
    """pytest arguments: the stdlib-only articles' test files and their stale-output checks,
    and the page checks."""
    slugs = stdlib_slugs()
    files = [p for slug in slugs for p in sorted((ROOT / "tests" / package(slug)).glob("test_*.py"))]
    files += [ROOT / "tests" / "site" / "test_pages.py"]
    chosen = [str(p.relative_to(ROOT)) for p in files if not third_party(p)]
    return chosen + [f"tests/site/test_generated.py::test_generated_files_are_fresh[{slug}]" for slug in slugs]


def venv(version: str, python: str) -> Path:
    home = ROOT / ".cache" / "pythons" / version
    if not (home / "bin" / "pytest").exists():
        subprocess.run([python, "-m", "venv", "--clear", str(home)], check=True)
        subprocess.run([home / "bin" / "python", "-m", "pip", "install", "--quiet", "pytest>=8"], check=True)
    return home / "bin" / "python"


def main(argv: list[str]) -> int:
    versions = [a for a in argv if not a.startswith("--")] or list(SUPPORTED)
    tests = selection()
    results = {}
    for version in versions:
        python = interpreter(version)
        if python is None:
            results[version] = "not installed here: not checked"
            continue
        py = venv(version, python)
        # pytest alone: printed outputs are checked, figures and notebooks (Matplotlib) are not
        env_path = {**os.environ, "PYTHONPATH": str(ROOT), "PYML_TEXTS_ONLY": "1"}
        if "--outputs" in argv:
            subprocess.run([py, "-m", "tools.outputs", *stdlib_slugs()], cwd=ROOT, env=env_path, check=True)
        done = subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT, env=env_path)
        results[version] = "passed" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
    print(f"\nstandard-library tests ({len(tests)} files or checks of {', '.join(stdlib_slugs())}):")
    for version, result in results.items():
        print(f"  Python {version}: {result}")
    # A version this machine lacks is reported, not failed: CI runs every version elsewhere.
    passed = sum(r == "passed" for r in results.values())
    failed = sum(r.startswith("FAILED") for r in results.values())
    print(f"pythons: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

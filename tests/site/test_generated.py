"""Every output, figure and notebook on the site is what the code produces now.

Each article's regions are run again (each alone, as `make outputs` runs them), its figures
redrawn and its notebooks rebuilt; a committed file that differs, is missing, or is left over
fails. Fix: `make outputs SLUG=<slug>`.
"""

from __future__ import annotations

import difflib

import pytest

from tools.outputs import expected_files, generated_dirs
from tools.regions import ROOT, pages

SLUGS = sorted(pages("zh"))


@pytest.mark.parametrize("slug", SLUGS)
def test_generated_files_are_fresh(slug):
    expected = expected_files(slug)
    stale = []
    for rel, data in sorted(expected.items()):
        path = ROOT / rel
        if not path.is_file():
            stale.append(f"missing: {rel}")
        elif path.read_bytes() != data:
            diff = difflib.unified_diff(
                path.read_text(encoding="utf-8", errors="replace").splitlines(),
                data.decode("utf-8", errors="replace").splitlines(),
                "committed", "generated now", lineterm="", n=1,
            )
            stale.append(f"stale: {rel}\n" + "\n".join(list(diff)[:20]))
    for folder in generated_dirs(slug):
        if folder.is_dir():
            stale += [
                f"left over: {p.relative_to(ROOT)}"
                for p in folder.iterdir()
                if str(p.relative_to(ROOT)) not in expected
            ]
    assert not stale, f"run `make outputs SLUG={slug}`:\n" + "\n".join(stale)

"""Every shell block on a page runs where a reader runs it.

A reader who follows a page has an empty folder holding what the page offers for download:
the article's script (<pkg>_code.py) and the files its code reads (READER_FILES). Each ```bash
block of the English pages runs there, with the interpreter of this test run first on PATH
and no PYTHONPATH (test_pages.py holds the Chinese blocks identical).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tools.regions import fences, notebook_paths, pages, reader_files

BLOCKS = [
    pytest.param(slug, body, id=f"{slug}-{number}")
    for slug, page in sorted(pages("en").items())
    for number, (info, body) in enumerate(
        (b for b in fences(page.read_text(encoding="utf-8")) if b[0].split()[:1] in (["bash"], ["sh"])), 1
    )
]


@pytest.mark.parametrize(("slug", "body"), BLOCKS)
def test_shell_block_runs_in_a_readers_folder(slug, body, tmp_path):
    shutil.copy(notebook_paths("en", slug)[0], tmp_path)
    for path in reader_files(slug):
        shutil.copy(path, tmp_path / path.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST"))}
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", body], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"$ {body}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"

"""Serve the snippet modules and their tests under /_src/, so every code block's
'source' and 'test' links work offline and from any static server; and the files the
articles' code reads (READER_FILES), which the downloaded notebooks fetch from there."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.regions import ROOT, pages, reader_files  # noqa: E402


def on_files(files, config):
    code = sorted((ROOT / "snippets").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    data = [path for slug in pages("zh") for path in reader_files(slug)]
    for path in code + data:
        rel = path.relative_to(ROOT).as_posix()
        files.append(File.generated(config, f"_src/{rel}", abs_src_path=str(path)))
    return files

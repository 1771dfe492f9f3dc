"""Serve the snippet modules and their tests under /_src/, so every code block's
'source' and 'test' links work offline and from any static server."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]


def on_files(files, config):
    for folder in ("snippets", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            files.append(File.generated(config, f"_src/{rel}", abs_src_path=str(path)))
    return files

"""Every link and anchor inside the built site resolves, in both languages (LinkChecker)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

CONFIG = """\
[filtering]
# Links to other hosts are references for the reader, not part of this site.
ignore=
  ^https?://(?!127\\.0\\.0\\.1)
[AnchorCheck]
"""


def test_no_broken_link_or_anchor_in_either_language(base_url, tmp_path):
    beside_python = Path(sys.executable).parent / "linkchecker"
    linkchecker = str(beside_python) if beside_python.exists() else shutil.which("linkchecker")
    assert linkchecker, "linkchecker is not installed (it is in pyproject's test extras)"
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG)
    # The Chinese home links to the English site through the language switch: one crawl covers both.
    result = subprocess.run(
        [linkchecker, "--config", str(config), "--no-status", "--threads", "8", "-o", "csv", base_url + "/"],
        capture_output=True, text=True, timeout=600,
    )
    reader = csv.DictReader((r for r in result.stdout.splitlines() if r and not r.startswith("#")), delimiter=";")
    rows = list(reader)
    problems = [
        f"{r['parentname']} -> {r['urlname']}: {r['result']} {r['warningstring']}"
        for r in rows
        if r["valid"] != "True" or r["warningstring"]
    ]
    assert not problems, "\n".join(problems[:30])
    assert result.returncode == 0, result.stderr[-2000:]
    assert any("/en/" in r["url"] for r in rows), "the crawl never reached the English site"
    assert len(rows) > 50

"""Every link and anchor inside the built site resolves, in both languages.

Links are crawled by LinkChecker over HTTP, starting from the Chinese home page (the language
switch leads it into the English site). Its own anchor check downloads a page again for each
`#fragment`, minutes on this site, so fragments are checked here instead, on the built files.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

CONFIG = """\
[checking]
# Our own local test server (tools/serve.py) allows more than LinkChecker's default 10/s.
maxrequestspersecond=1000
[filtering]
# Links to other hosts are references for the reader, not part of this site;
# fragments are checked by test_every_fragment_names_an_element_of_its_target_page.
ignore=
  ^https?://(?!127\\.0\\.0\\.1)
  \\#
"""


def test_no_broken_link_in_either_language(base_url, tmp_path):
    beside_python = Path(sys.executable).parent / "linkchecker"
    linkchecker = str(beside_python) if beside_python.exists() else shutil.which("linkchecker")
    assert linkchecker, "linkchecker is not installed (it is in pyproject's test extras)"
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG)
    result = subprocess.run(
        [linkchecker, "--config", str(config), "--no-status", "--threads", "4", "--verbose", "-o", "csv",
         base_url + "/"],
        capture_output=True, text=True, timeout=600,
    )
    rows = list(csv.DictReader((r for r in result.stdout.splitlines() if r and not r.startswith("#")), delimiter=";"))
    problems = [
        f"{r['parentname']} -> {r['urlname']}: {r['result']} {r['warningstring']}"
        for r in rows
        if r["valid"] != "True" or r["warningstring"]
    ]
    assert not problems, "\n".join(problems[:30])
    assert result.returncode == 0, result.stderr[-2000:]
    assert any("/en/" in r["url"] for r in rows), "the crawl never reached the English site"
    assert len(rows) > 100, f"only {len(rows)} links checked"


HREF = re.compile(r'<a\s[^>]*?href="([^"]*#[^"]*)"')
IDS = re.compile(r'\s(?:id|name)="([^"]+)"')


def test_every_fragment_names_an_element_of_its_target_page(site):
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(IDS.findall(page.read_text(encoding="utf-8")))
        return ids[page]

    broken, checked = [], 0
    for page in sorted(site.rglob("*.html")):
        url = "http://site/" + page.relative_to(site).as_posix()
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if target.netloc != "site" or not target.fragment:
                continue
            path = site / unquote(target.path.lstrip("/"))
            if path.is_dir() or target.path.endswith("/"):
                path = path / "index.html"
            if path.suffix != ".html":
                continue
            checked += 1
            if not path.is_file() or unquote(target.fragment) not in ids_of(path):
                broken.append(f"{page.relative_to(site)}: {href}")
    assert not broken, "\n".join(broken[:30])
    assert checked > 100

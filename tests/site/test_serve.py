"""`make serve` rebuilds when a source changes and tells open pages to reload."""

from __future__ import annotations

import shutil
import threading
import urllib.request

from tools.serve import GzipHandler, Watcher, serve_in_background


def get(url: str) -> str:
    return urllib.request.urlopen(url, timeout=30).read().decode()


def test_pages_carry_the_reload_script_and_reload_asks_until_a_newer_build(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site / "en" / "spp", copy / "spp")
    watcher = Watcher(str(copy), "en")
    GzipHandler.watcher = watcher
    httpd, url = serve_in_background(str(copy))
    try:
        first = watcher.build
        assert f'<script src="/_reload.js?{first}"></script></body>' in get(f"{url}/spp/")
        assert "location.reload()" in get(f"{url}/_reload.js?{first}")
        threading.Timer(0.2, watcher.newer.bump).start()
        assert int(get(f"{url}/_reload?{first}")) == first + 1  # answered when the build is newer
    finally:
        GzipHandler.watcher = None
        httpd.shutdown()


def test_a_rebuild_of_one_language_keeps_the_other_and_swaps_the_site_in(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "en" / "stale.html").write_text("from an older build")
    watcher = Watcher(str(copy), "en")
    before = watcher.build
    assert watcher.rebuild() == ""
    assert watcher.build == before + 1
    assert not (copy / "en" / "stale.html").exists(), "English was not rebuilt"
    assert (copy / "en" / "spp" / "index.html").is_file() and (copy / "spp" / "index.html").is_file()
    assert (copy / "index.html").read_bytes() == (site / "index.html").read_bytes(), "Chinese was not kept"

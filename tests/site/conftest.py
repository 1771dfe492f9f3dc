"""The built site, shared by the build, link and browser tests: both languages, strict,
built once, and served on 127.0.0.1 from a port the OS hands out."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tools.regions import ROOT
from tools.serve import serve_in_background


def build(config, dest, cwd=ROOT, site_url: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url:
        env.update(SITE_URL=site_url, SITE_URL_EN=site_url + "en/")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """(folder, base URL) of a static server; the site is built into the folder by `site`."""
    folder = tmp_path_factory.mktemp("site")
    httpd, url = serve_in_background(str(folder))  # the server `make serve` uses
    yield folder, url + "/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def site(server):
    """Path of the built site: Chinese at /, English at /en/ (built in that order, since a
    build empties its own folder), with canonical and hreflang URLs on the test server."""
    dest, url = server
    for config, out in (("mkdocs.yml", dest), ("mkdocs.en.yml", dest / "en")):
        result = build(config, out, site_url=url)
        assert result.returncode == 0, f"{config} strict build failed:\n{result.stderr[-3000:]}"
    return dest


@pytest.fixture(scope="session")
def base_url(site, server):
    """URL of the served, built site (without the trailing slash)."""
    return server[1].rstrip("/")

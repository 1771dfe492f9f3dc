"""The built site, shared by the build, link and browser tests: both languages, strict,
built once per test run, served on 127.0.0.1 by the server tests/conftest.py starts.

With pytest-xdist several processes ask for it; the first builds it under a file lock and
the others wait for that build (or its error) instead of building again.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest

from tools.build import build_env, build_site, mkdocs_command
from tools.regions import ROOT


def build(config, dest, cwd=ROOT) -> subprocess.CompletedProcess:
    """One language, strict, into dest (for scratch sites; the real one is built by `site`)."""
    return subprocess.run(mkdocs_command(config, dest), cwd=cwd, env=build_env(),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def server() -> tuple[Path, str]:
    """(folder, base URL) of the test server; the site is built into the folder by `site`."""
    return Path(os.environ["PYML_TEST_SITE_DIR"]), os.environ["PYML_TEST_SITE_URL"]  # tests/conftest.py


@pytest.fixture(scope="session")
def site(server):
    """Path of the built site: Chinese at /, English at /en/, with canonical and hreflang
    URLs on the test server."""
    dest, url = server
    with open(dest.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        result = dest.parent / "build.result"
        if not result.exists():
            result.write_text(build_site(dest, site_url=url))
        errors = result.read_text()
    assert not errors, errors
    return dest


@pytest.fixture(scope="session")
def base_url(site, server):
    """URL of the served, built site (without the trailing slash)."""
    return server[1].rstrip("/")

"""The built site, shared by the build, link and browser tests: both languages, strict,
built once per test run, served on 127.0.0.1 by the server tests/conftest.py starts.

With pytest-xdist several processes ask for it; the first builds it under a file lock and
the others wait for that build (or its error) instead of building again.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.regions import ROOT


def _command(config, dest) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)]


def _env(site_url: str | None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url:
        env.update(SITE_URL=site_url, SITE_URL_EN=site_url + "en/")
    return env


def build(config, dest, cwd=ROOT, site_url: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(_command(config, dest), cwd=cwd, env=_env(site_url),
                          capture_output=True, text=True, timeout=300)


def build_both_languages(dest: Path, site_url: str) -> str:
    """Build Chinese into dest and English into dest/en, at the same time (one core each);
    return the errors, if any. A build empties its folder first, so English is built beside
    dest and moved in once both are done."""
    english = dest.parent / "en-build"
    jobs = {"mkdocs.yml": dest, "mkdocs.en.yml": english}
    running = {config: subprocess.Popen(_command(config, out), cwd=ROOT, env=_env(site_url), text=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for config, out in jobs.items()}
    errors = []
    for config, process in running.items():
        _, stderr = process.communicate(timeout=300)
        if process.returncode:
            errors.append(f"{config} strict build failed:\n{stderr[-3000:]}")
    if not errors:
        english.rename(dest / "en")
    return "\n".join(errors)


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
            result.write_text(build_both_languages(dest, url))
        errors = result.read_text()
    assert not errors, errors
    return dest


@pytest.fixture(scope="session")
def base_url(site, server):
    """URL of the served, built site (without the trailing slash)."""
    return server[1].rstrip("/")

"""The built site, shared by the build and browser tests: both languages, strict, built once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tools.regions import ROOT


def build(config: str, dest, cwd=ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Path of the built site: Chinese at /, English at /en/ (built in that order,
    since a build empties its own folder)."""
    dest = tmp_path_factory.mktemp("site")
    for config, out in (("mkdocs.yml", dest), ("mkdocs.en.yml", dest / "en")):
        result = build(config, out)
        assert result.returncode == 0, f"{config} strict build failed:\n{result.stderr[-3000:]}"
    return dest

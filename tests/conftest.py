"""Settings for the whole suite, applied before any test module imports torch, and the one
local server that tests/site/ uses."""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# One thread per process: printed outputs then do not depend on the core count (reductions
# split across threads round differently), and on a busy 2-core machine tiny ops do not wait
# on OpenMP. tools/outputs.py makes the same choice, so the stale-output test compares alike.
os.environ.setdefault("OMP_NUM_THREADS", "1")

# The shell examples on the pages run `python` and `torchrun`: the ones beside this
# interpreter, whether or not its virtualenv is activated.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

_SERVER = pytest.StashKey[tuple]()


def pytest_configure(config):
    """Serve the site from the main pytest process. With `-n` (pytest-xdist) that is the
    controller, which outlives every worker and whose environment the workers inherit: they
    all test one site on one server, however the tests are shared out between them."""
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller has done this
    from tools.serve import serve_in_background

    scratch = Path(tempfile.mkdtemp(prefix="pyml-test-site-"))
    (scratch / "site").mkdir()
    httpd, url = serve_in_background(str(scratch / "site"))
    config.stash[_SERVER] = (httpd, scratch)
    # Read by tests/site/conftest.py: the folder the site is built into (once, by whichever
    # test process needs it first) and the URL that serves it.
    os.environ["PYML_TEST_SITE_DIR"], os.environ["PYML_TEST_SITE_URL"] = str(scratch / "site"), url + "/"


def pytest_unconfigure(config):
    if _SERVER in config.stash:
        httpd, scratch = config.stash[_SERVER]
        httpd.shutdown()
        httpd.server_close()
        shutil.rmtree(scratch, ignore_errors=True)

"""One launch per world size, shared by the test modules: starting processes is the slow part."""

import pytest

from snippets.ddp.checks import all_checks
from snippets.ddp.launch import run_workers


def _launch(tmp_path_factory, world):
    out = tmp_path_factory.mktemp(f"ddp_world{world}")
    return {"out": out, "ranks": run_workers(all_checks, world, out, timeout=60)}


@pytest.fixture(scope="session")
def world1(tmp_path_factory):
    return _launch(tmp_path_factory, 1)


@pytest.fixture(scope="session")
def world2(tmp_path_factory):
    return _launch(tmp_path_factory, 2)


@pytest.fixture(scope="session")
def world3(tmp_path_factory):
    return _launch(tmp_path_factory, 3)


@pytest.fixture(params=[2, 3], ids=["world2", "world3"])
def launched(request):
    """The results of world 2 and world 3, one test run each."""
    return request.getfixturevalue(f"world{request.param}")

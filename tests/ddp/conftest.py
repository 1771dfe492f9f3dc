"""Shared launches for tests/ddp: starting processes is the slow part, so each is done once.

- world1/world2/world3: all multi-process checks of snippets/ddp/checks.py, one launch per
  world size, shared by the test modules.
- two_nodes: train.py under two torchrun agents that meet as two machines would. It is the
  slowest launch (measured/two_nodes.json), so it starts before the first test of this folder
  and runs while the others do; test_train.py waits for it.
"""

from datetime import timedelta
from pathlib import Path

import pytest
import torch.distributed as dist

from snippets.ddp.checks import all_checks
from snippets.ddp.launch import run_workers
from snippets.ddp.measure import start_two_nodes

TWO_NODES_TEST = "test_runs_unchanged_as_two_nodes_under_torchrun"


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


class TwoNodes:
    """Two torchrun agents, one process each, joined by a c10d rendezvous.

    The rendezvous store is hosted here on a port the OS picks, and both agents join it
    as clients (is_host=false): no fixed port, nothing to race for.
    """

    def __init__(self, out: Path):
        self.out = out
        self.store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False,
                                   timeout=timedelta(seconds=60))
        # As a reader runs it: train.py alone in a folder, no PYTHONPATH to the repository.
        self.nodes = start_two_nodes(out, self.store.port)

    def wait(self, timeout):
        """[(returncode, stdout, stderr)] of both agents."""
        outputs = [node.communicate(timeout=timeout) for node in self.nodes]
        return [(node.returncode, out, err) for node, (out, err) in zip(self.nodes, outputs, strict=True)]

    def kill(self):
        for node in self.nodes:
            if node.poll() is None:
                node.kill()
                node.communicate()


@pytest.fixture(scope="session", autouse=True)
def two_nodes(request, tmp_path_factory):
    """Start the two-agent run first when its test is selected (see the module docstring)."""
    if not any(getattr(item, "originalname", None) == TWO_NODES_TEST for item in request.session.items):
        yield None
        return
    run = TwoNodes(tmp_path_factory.mktemp("two_nodes"))
    yield run
    run.kill()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the marks
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`make test`), keep this folder's tests in one worker, so that the
    launches above happen once rather than once per worker."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("ddp"))

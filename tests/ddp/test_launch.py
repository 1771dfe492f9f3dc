import json
import os
import time
from pathlib import Path
from statistics import median

import pytest

from snippets.ddp.launch import fail_on_rank, hang, run_workers
from tools.outputs import run_region
from tools.regions import Include

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]


def test_rejects_a_world_that_is_not_a_positive_int():
    with pytest.raises(ValueError, match="world must be a positive int, got 0"):
        run_workers(fail_on_rank, 0, 1)


def test_rejects_a_function_the_workers_cannot_import():
    def local(rank, world):
        return rank

    with pytest.raises(TypeError, match="must be a function defined at the top of an importable module"):
        run_workers(local, 2)


def test_a_failing_rank_is_reported_with_its_traceback():
    with pytest.raises(RuntimeError, match=r"(?s)fail_on_rank failed on rank 1:.*ValueError: rank 1 gave up"):
        run_workers(fail_on_rank, 2, 1)


def test_results_come_back_in_rank_order():
    assert run_workers(fail_on_rank, 3, -1) == [0, 1, 2]


def test_hung_workers_are_killed_at_the_timeout(tmp_path):
    before = time.monotonic()
    with pytest.raises(TimeoutError, match="hang: workers still running after 3.0 s") as err:
        run_workers(hang, 2, tmp_path, timeout=3.0)
    assert time.monotonic() - before < 20
    # The message shows where every rank was waiting.
    for rank in range(2):
        assert f"rank {rank}:" in str(err.value)
    assert str(err.value).count(" in hang") == 2
    pids = [int((tmp_path / str(rank)).read_text()) for rank in range(2)]
    for pid in pids:  # killed and reaped: the pid no longer exists
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_costs_block_reads_launch_json_from_the_current_folder():
    """Run as a reader's copy: an empty folder holding only the READER_FILES."""
    lines = run_region(Include("snippets/ddp/launch.py", "start_method_costs")).splitlines()
    assert lines[1].startswith("start 2 processes, one all_reduce, collect the results; seconds,")
    assert lines[2].split() == ["import", "torch", "first", "launch", "later", "launches"]
    # One row per method: median [min, max] of the stored runs, as the page quotes them.
    seconds = json.loads((ROOT / "snippets/ddp/measured/launch.json").read_text())["seconds"]
    for line, (method, run) in zip(lines[3:], seconds.items(), strict=True):
        later = run["later"]
        assert line.split()[0] == method
        assert line.endswith(f"{median(later):5.2f} [{min(later):.2f}, {max(later):.2f}]")


def test_in_fresh_process_returns_the_result_and_reports_failures():
    from snippets.ddp.launch import fail_on_rank, in_fresh_process

    assert in_fresh_process(fail_on_rank, 1, 2, 0) == 1
    with pytest.raises(RuntimeError, match="fail_on_rank failed with exit code 1"):
        in_fresh_process(fail_on_rank, 0, 2, 0)

import json

import pytest

from snippets.ddp import measure
from snippets.ddp.launch import run_workers
from tools.outputs import run_region
from tools.regions import Include

pytestmark = pytest.mark.timeout(60)


def test_unknown_start_method_is_refused():
    with pytest.raises(ValueError, match="unknown start method 'thread'"):
        measure.launch_seconds("thread")


def test_the_timed_worker_sums_over_ranks():
    assert run_workers(measure.one_all_reduce, 2) == [[1.0] * 4, [1.0] * 4]


def test_a_worker_that_destroys_its_group_exits_cleanly():
    assert measure.exit_failures(1, destroy=True, start_method="forkserver") == []


def test_bucket_all_reduce_starts_before_backward_reaches_the_first_layer():
    depth = 4
    ranks = run_workers(measure.bucket_timeline, 2, 32, depth, 8, 0.001)
    for events in ranks:
        kinds = [e[0] for e in events]
        first_start = kinds.index("start")
        # The bucket of the last layer is all-reduced while layer 0's gradient is still to come.
        assert events[first_start][3] == [depth - 1]
        layer0_ready = max(i for i, e in enumerate(events) if e[0] == "grad" and e[1] == 0)
        assert first_start < layer0_ready
        # Every bucket starts only after all gradients of its layers are in, and backward()
        # returns only after every all-reduce is done.
        for i, e in enumerate(events):
            if e[0] == "start":
                ready = [j for j, g in enumerate(events) if g[0] == "grad" and g[1] in e[3]]
                assert max(ready) < i
        assert kinds[-1] == "end" and kinds.count("done") == kinds.count("start") == depth


def test_committed_measurements_have_the_expected_shape():
    launch = json.loads((measure.OUT / "launch.json").read_text())
    assert set(launch["seconds"]) == {"spawn", "fork", "forkserver"}
    aborts = json.loads((measure.OUT / "exit_abort.json").read_text())
    assert aborts["with_destroy"] == []  # the fix: not one failed exit
    buckets = json.loads((measure.OUT / "buckets.json").read_text())
    assert len(buckets["ranks"]) == 2


def test_the_counts_block_reads_exit_abort_json_from_the_current_folder():
    """Run as a reader's copy: an empty folder holding only the READER_FILES."""
    aborts = json.loads((measure.OUT / "exit_abort.json").read_text())
    lines = run_region(Include("snippets/ddp/measure.py", "exit_abort_counts")).splitlines()
    assert lines[1].startswith(f"with destroy      0 of {aborts['runs']} runs failed")
    assert lines[0].startswith(f"without destroy  {len(aborts['without_destroy']):2d} of {aborts['runs']}")

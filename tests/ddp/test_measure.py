import json
from pathlib import Path

import pytest

from snippets.ddp import measure
from snippets.ddp.launch import run_workers
from tools.outputs import run_region
from tools.regions import Include

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]


def test_unknown_start_method_is_refused():
    with pytest.raises(ValueError, match="unknown start method 'thread'"):
        measure.launch_seconds("thread")


def test_the_timed_worker_sums_over_ranks():
    assert run_workers(measure.one_all_reduce, 2) == [[1.0] * 4, [1.0] * 4]


def test_the_experiment_runs_its_worker_in_every_process():
    """One run of the experiment's loop (forkserver: its children end with os._exit, so this
    checks the loop and the worker, not the exit; the counts come from spawn, in measure.py)."""
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


def test_the_counts_block_reads_exit_abort_json_from_the_current_folder():
    """Run as a reader's copy: an empty folder holding only the READER_FILES."""
    aborts = stored("exit_abort.json")
    lines = run_region(Include("snippets/ddp/measure.py", "exit_abort_counts")).splitlines()
    without = [len(r) for r in aborts["without_destroy"]]
    assert lines[0].startswith(f"without destroy  {sum(without):2d} of 40 runs failed,"
                               f" per round of 10: {without}")
    assert lines[1].startswith("with destroy      0 of 40 runs failed")
    assert lines[2].startswith("train script      0 of 20 runs failed")


# --- the stored measurements support what the page says about them ---------------------------

def stored(name):
    return json.loads((measure.OUT / name).read_text())


def page_texts():
    return [(ROOT / "docs" / lang / "posts" / "ddp.md").read_text(encoding="utf-8") for lang in ("en", "zh")]


def test_summaries_are_those_of_the_stored_runs(tmp_path, monkeypatch):
    for name in ("checks.json", "two_nodes.json", "buckets.json"):
        (tmp_path / name).write_text((measure.OUT / name).read_text())
    monkeypatch.setattr(measure, "OUT", tmp_path)
    measure.summarize()
    for name in ("checks.json", "two_nodes.json", "buckets.json"):
        assert json.loads((tmp_path / name).read_text()) == stored(name)


def test_exit_aborts_without_destroy_and_none_with_it():
    aborts = stored("exit_abort.json")
    # "Now and then": some runs abort, not all, and only by SIGABRT.
    failed = [f for r in aborts["without_destroy"] for f in r]
    assert 0 < len(failed) < 40 and set(failed) == {"SIGABRT"}
    # The fix and train.py's teardown: not one abort or hang.
    assert aborts["with_destroy"] == [[]] * 4 and aborts["train_script"] == [[]] * 4


def quoted(*texts):
    """Each text appears on both pages."""
    for page in page_texts():
        for text in texts:
            assert text in page, text


def test_launch_costs_support_the_page():
    from statistics import median

    seconds = stored("launch.json")["seconds"]
    spawn, fork, server = seconds["spawn"], seconds["fork"], seconds["forkserver"]
    # fork is the fastest by the medians, first launch and later ones.
    for key in ("first", "later"):
        assert median(fork[key]) < median(server[key]) and median(fork[key]) < median(spawn[key])
    # forkserver's first launch costs about as much as a spawn launch: the ranges overlap...
    spawn_all = spawn["first"] + spawn["later"]
    assert max(min(server["first"]), min(spawn_all)) <= min(max(server["first"]), max(spawn_all))
    # ...and every later one far less than any spawn launch.
    assert max(server["later"]) < min(spawn["later"]) / 10
    quoted(f"{max(server['later']):.2f} s", f"{min(spawn['later']):.2f} s")


def test_the_tests_launches_support_the_page():
    summary = stored("checks.json")["summary"]
    checks, later = summary["checks"], summary["later_overhead"]
    # The first launch pays for the fork server: more than the checks; later ones far less.
    assert float(summary["first_overhead"]) > float(checks["max"]) > float(later["max"]) * 5
    quoted(f"{checks['median']} s", checks["min"], f"{checks['max']} s", f"{summary['first_overhead']} s",
           f"{later['median']} s")
    nodes = stored("two_nodes.json")
    # The two-node run is the slowest launch: slower than every launch of the checks.
    assert min(nodes["seconds"]) > max(stored("checks.json")["seconds"]["launch"])
    s = nodes["summary"]
    quoted(f"{s['median']} s", s["min"], f"{s['max']} s")


def test_bucket_overlap_supports_the_page():
    summary = stored("buckets.json")["summary"]
    # In every stored pass the first all-reduce started before layer 0's gradients were ready...
    assert summary["first_start_before_layer0"] == summary["passes"] == 10
    # ...and a bucket's all-reduce started, by the median, within a millisecond of its
    # layer's last gradient; never before it.
    delay = summary["start_delay_ms"]
    assert 0 <= float(delay["min"]) and float(delay["median"]) < 1 and delay["n"] == 60
    quoted(f"{delay['median']} ms", f"{delay['max']} ms")

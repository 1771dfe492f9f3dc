import json

import pytest
import torch

from snippets.gradient_checkpointing import measure
from snippets.gradient_checkpointing.segments import measure_once


@pytest.fixture
def restore_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def test_main_writes_every_configuration_at_a_tiny_size(tmp_path, restore_threads):
    out = tmp_path / "timings.json"
    data = measure.main(out, n_blocks=3, width=4, batch=2, rounds=1)
    assert json.loads(out.read_text()) == data
    assert [r["segments"] for r in data["rows"]] == [1, 2, 3, None]
    for row in data["rows"]:
        assert row["seconds"] > 0 and row["median_seconds"] >= row["seconds"]
        assert row["saved_bytes"] == measure_once(row["segments"], 3, width=4, batch=2, peak=False)["saved"]
    assert {"cpu", "logical_cores", "torch", "threads"} <= set(data["machine"])


def test_collect_rejects_zero_rounds():
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        measure.collect(n_blocks=2, width=2, batch=2, rounds=0)


def test_committed_measurement_covers_plain_every_segment_count_and_every_block():
    data = json.loads(measure.OUT.read_text())
    n = data["config"]["n_blocks"]
    assert [r["segments"] for r in data["rows"]] == list(range(1, n + 1)) + [None]
    assert data["forward_seconds"] > 0
    # Checkpointing never makes a step cheaper than the plain run by more than noise.
    plain = data["rows"][0]["seconds"]
    assert all(r["seconds"] > 0.9 * plain for r in data["rows"])

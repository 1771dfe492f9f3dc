import json

import pytest

from snippets.transformer import measure


def test_main_times_every_layer_at_every_length_at_a_tiny_size(tmp_path):
    out = tmp_path / "t.json"
    data = measure.main(out, d=8, heads=2, batch=1, rounds=1, lengths=[4, 8])
    assert json.loads(out.read_text()) == data
    assert set(data["results"]) == {"self-attention", "RNN (tanh)", "LSTM"}
    for rows in data["results"].values():
        assert [r["n"] for r in rows] == [4, 8] and all(r["seconds"] > 0 for r in rows)
    assert {"cpu", "logical_cores", "threads", "torch"} <= set(data["machine"])


def test_time_layers_rejects_zero_rounds():
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        measure.time_layers([4], d=8, heads=2, batch=1, rounds=0)


def test_committed_measurement_covers_all_layers_and_lengths():
    data = json.loads(measure.OUT.read_text())
    lengths = data["settings"]["lengths"]
    for rows in data["results"].values():
        assert [r["n"] for r in rows] == lengths[: len(rows)] and len(rows) >= 4

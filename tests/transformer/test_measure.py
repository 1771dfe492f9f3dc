import json

import pytest

from snippets.transformer import measure


def test_main_times_every_layer_at_every_length_at_a_tiny_size(tmp_path):
    out = tmp_path / "t.json"
    data = measure.main(out, d=8, heads=2, batch=1, rounds=3, lengths=[4, 8])
    assert json.loads(out.read_text()) == data
    assert set(data["results"]) == {"self-attention", "RNN (tanh)", "LSTM"}
    for rows in data["results"].values():
        assert [r["n"] for r in rows] == [4, 8]
        for r in rows:
            assert len(r["runs"]) == 3 and r["min"] <= r["median"] <= r["max"]
            assert r["min"] == min(r["runs"]) > 0 and r["max"] == max(r["runs"])
    assert {"cpu", "logical_cores", "threads", "torch"} <= set(data["machine"])


def test_time_layers_rejects_zero_rounds():
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        measure.time_layers([4], d=8, heads=2, batch=1, rounds=0)


def test_a_pair_slower_than_the_budget_in_warm_up_is_left_out():
    data = measure.time_layers([4, 8], d=8, heads=2, batch=1, rounds=1, budget_s=-1.0)
    assert data == {"self-attention": [], "RNN (tanh)": [], "LSTM": []}


# The sentences of the page's "Cost per layer" section, checked against the stored measurement
# (measured/timings.json; re-measuring may change it, and then these say which sentence to fix).
DATA = json.loads(measure.OUT.read_text())
ROWS = {name: {r["n"]: r for r in rows} for name, rows in DATA["results"].items()}
ATTN, RNN, LSTM = ROWS["self-attention"], ROWS["RNN (tanh)"], ROWS["LSTM"]
LENGTHS = DATA["settings"]["lengths"]


def growth(rows, n):
    """Median time at 2n over median time at n."""
    return rows[2 * n]["median"] / rows[n]["median"]


def test_committed_measurement_covers_all_layers_and_lengths_with_repeats():
    assert DATA["settings"]["rounds"] == 11  # the page says 11 runs
    for rows in ROWS.values():
        assert list(rows) == LENGTHS
        assert all(len(r["runs"]) == 11 for r in rows.values())


def test_the_machine_is_the_one_the_page_describes():
    m = DATA["machine"]
    assert "Xeon" in m["cpu"] and m["logical_cores"] == 2 and m["threads"] == 1
    assert (DATA["settings"]["d"], DATA["settings"]["batch"]) == (256, 8)


def test_rnn_median_is_below_self_attention_at_every_length():
    assert all(RNN[n]["median"] < ATTN[n]["median"] for n in LENGTHS)


def test_from_128_on_the_slowest_rnn_run_beats_the_fastest_self_attention_run():
    assert all(RNN[n]["max"] < ATTN[n]["min"] for n in LENGTHS if n >= 128)


def test_below_128_most_rnn_runs_but_not_all_beat_self_attention():
    short = [n for n in LENGTHS if n < 128]
    for n in short:  # most runs are faster than self-attention's fastest ...
        slow = [t for t in RNN[n]["runs"] if t >= ATTN[n]["min"]]
        assert len(slow) < len(RNN[n]["runs"]) / 2
    # ... but not all, and the slow ones take several times the RNN's median
    assert any(RNN[n]["max"] >= ATTN[n]["min"] for n in short)
    assert any(RNN[n]["max"] >= 3 * RNN[n]["median"] for n in short)


def test_self_attention_over_rnn_is_about_one_and_a_half_up_to_64_then_grows_to_about_ten():
    ratio = {n: ATTN[n]["median"] / RNN[n]["median"] for n in LENGTHS}
    assert all(1.3 <= ratio[n] <= 1.8 for n in LENGTHS if n <= 64)
    from64 = [ratio[n] for n in LENGTHS if n >= 64]
    assert all(a < b for a, b in zip(from64[:-1], from64[1:], strict=True))
    assert 9 <= ratio[2048] <= 11.5


def test_from_64_on_doubling_n_roughly_doubles_rnn_and_lstm_time():
    for rows in (RNN, LSTM):
        assert all(1.6 <= growth(rows, n) <= 2.4 for n in LENGTHS[:-1] if n >= 64)


def test_below_64_every_layer_grows_more_slowly_than_n():
    for rows in (ATTN, RNN, LSTM):
        assert all(growth(rows, n) < 2 for n in LENGTHS if n < 64)


def test_from_256_on_doubling_n_multiplies_self_attention_time_by_3_or_more():
    assert all(growth(ATTN, n) >= 3 for n in LENGTHS[:-1] if n >= 256)
    assert growth(ATTN, 128) < 3  # not before: the page says "from n = 256 on"


def test_lstm_is_slower_than_self_attention_up_to_256_and_faster_from_512_without_overlap():
    assert all(LSTM[n]["min"] > ATTN[n]["max"] for n in LENGTHS if n <= 256)
    assert all(LSTM[n]["max"] < ATTN[n]["min"] for n in LENGTHS if n >= 512)


def test_at_512_where_the_counts_are_equal_self_attention_takes_about_twice_the_lstm():
    d = DATA["settings"]["d"]
    n = 2 * d  # 8 n d^2 (LSTM) == 4 n d^2 + 2 n^2 d (self-attention) when n = 2d
    assert 1.6 <= ATTN[n]["median"] / LSTM[n]["median"] <= 2.3

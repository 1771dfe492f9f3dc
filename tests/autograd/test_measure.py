import json

import pytest

from snippets.autograd import measure


def test_main_times_both_modes_on_both_shapes_at_a_tiny_size(tmp_path):
    out = tmp_path / "j.json"
    data = measure.main(out, min_sample_s=1e-4, few=2, hidden=4, rounds=3, sizes=[2, 8])
    assert json.loads(out.read_text()) == data
    for shape in ("wide", "tall"):
        assert set(data["results"][shape]) == {"forward", "reverse"}
        for rows in data["results"][shape].values():
            assert [r["size"] for r in rows] == [2, 8]
            for r in rows:
                assert len(r["runs"]) == 3 and r["calls_per_run"] >= 1
                assert r["min"] <= r["q1"] <= r["median"] <= r["q3"] <= r["max"]
    assert {"cpu", "logical_cores", "threads", "torch"} <= set(data["machine"])


def test_time_modes_rejects_zero_rounds():
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        measure.time_modes([2], few=2, hidden=4, rounds=0)


# The sentences of the page's "Measured: jacfwd against jacrev" section, checked against the
# stored measurement (measured/jacobian.json; re-measuring may change it, and then these say
# which sentence to fix).
DATA = json.loads(measure.OUT.read_text())
SIZES = DATA["settings"]["sizes"]
ROWS = {(shape, mode): {r["size"]: r for r in rows}
        for shape, modes in DATA["results"].items() for mode, rows in modes.items()}


def rounds_reverse_won(shape, size):
    fwd, rev = ROWS[shape, "forward"][size]["runs"], ROWS[shape, "reverse"][size]["runs"]
    return sum(r < f for f, r in zip(fwd, rev, strict=True))


def ratio(shape, size):
    return ROWS[shape, "forward"][size]["median"] / ROWS[shape, "reverse"][size]["median"]


def test_committed_measurement_has_21_rounds_from_4_to_4096_on_one_thread():
    assert DATA["settings"]["rounds"] == 21 and SIZES == [4, 16, 64, 256, 1024, 4096]
    assert DATA["settings"]["few"] == 4 and DATA["settings"]["hidden"] == 64
    assert all(len(r["runs"]) == 21 for rows in ROWS.values() for r in rows.values())
    assert DATA["machine"]["threads"] == 1


def test_wide_reverse_mode_is_faster_in_every_round_at_every_size():
    assert all(rounds_reverse_won("wide", n) == 21 for n in SIZES)


def test_wide_ratio_grows_from_its_smallest_at_size_4_to_its_largest_at_4096():
    ratios = [ratio("wide", n) for n in SIZES]
    assert ratios[-1] == max(ratios) > 100 and ratios[0] < 1.5
    assert all(ratios[0] <= r for r in ratios)


def test_wide_forward_time_grows_more_than_sixteenfold_from_1024_to_4096():
    fwd = ROWS["wide", "forward"]
    assert fwd[4096]["median"] / fwd[1024]["median"] > 16


def test_tall_forward_mode_wins_every_round_from_256_on_and_reverse_below():
    assert all(rounds_reverse_won("tall", n) == 0 for n in SIZES if n >= 256)
    assert all(rounds_reverse_won("tall", n) == 21 for n in SIZES if n < 256)


def test_up_to_64_a_jacobian_takes_about_a_fifth_of_a_millisecond_either_way():
    small = [ROWS[key][n]["median"] for key in ROWS for n in SIZES if n <= 64]
    assert all(0.15e-3 <= t <= 0.3e-3 for t in small)

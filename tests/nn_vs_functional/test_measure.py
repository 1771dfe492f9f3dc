import torch

from snippets.nn_vs_functional import measure


def test_each_case_computes_the_same_output_both_ways():
    for _, module, functional, x in measure.cases(scale=8):
        assert torch.equal(module(x), functional(x))


def test_measure_reports_median_and_spread_of_every_case():
    result = measure.measure(min_run_time=0.001, scale=8, rounds=3)
    assert [r["case"] for r in result["rows"]] == [c[0] for c in measure.cases(scale=8)]
    for row in result["rows"]:
        assert row["rounds"] == 3
        for key in ("module_us", "function_us"):
            assert 0 < row[key]["min"] <= row[key]["median"] <= row[key]["max"]
        assert row["extra_us"]["min"] <= row["extra_us"]["median"] <= row["extra_us"]["max"]
    assert "logical CPUs" in result["machine"] and "3 interleaved rounds" in result["method"]


def test_summary_is_median_min_max_in_microseconds():
    assert measure.summary([3e-6, 1e-6, 2e-6]) == {"median": 2.0, "min": 1.0, "max": 3.0}


def test_timed_rounds_times_both_in_every_round():
    # a module that costs more per call than the function: the extra is positive in every round
    module_s, function_s = measure.timed_rounds(lambda x: sum(range(200)), lambda x: x, 0,
                                                min_run_time=0.001, rounds=3)
    assert len(module_s) == len(function_s) == 3
    assert all(m > f for m, f in zip(module_s, function_s, strict=True))

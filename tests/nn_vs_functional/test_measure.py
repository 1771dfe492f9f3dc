from snippets.nn_vs_functional import measure


def test_each_case_computes_the_same_output_both_ways():
    for _, module, functional, x in measure.cases(scale=8):
        assert (module(x) - functional(x)).abs().max() == 0


def test_measure_reports_every_case_with_positive_times():
    result = measure.measure(min_run_time=0.001, scale=8)
    assert [r["case"] for r in result["rows"]] == [c[0] for c in measure.cases(scale=8)]
    assert all(r["module_us"] > 0 and r["function_us"] > 0 for r in result["rows"])
    assert "logical CPUs" in result["machine"]

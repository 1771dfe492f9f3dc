import json
from pathlib import Path

from snippets.nn_vs_functional import measure
from tools.outputs import run_region
from tools.regions import Include

REGION = Include("snippets/nn_vs_functional/speed.py", "measured_speed")
SMALL = ("linear 1x64", "relu 1x64")  # the cases the page says the module is always slower on
BIG = "conv2d 8x16x32x32"  # the case the page says is within the run-to-run spread


def stored() -> dict:
    return json.loads(Path(measure.OUT).read_text(encoding="utf-8"))


def rows() -> dict:
    return {row["case"]: row for row in stored()["rows"]}


def test_committed_measurement_covers_every_case_and_names_the_machine():
    data = stored()
    assert [r["case"] for r in data["rows"]] == [c[0] for c in measure.cases()]
    assert data["machine"] and data["method"] and data["torch"]
    assert f"{measure.ROUNDS} interleaved rounds" in data["method"]
    for row in data["rows"]:
        assert row["rounds"] == measure.ROUNDS >= 7
        for key in ("module_us", "function_us", "extra_us"):
            t = row[key]
            assert t["min"] <= t["median"] <= t["max"], (row["case"], key)


def test_speed_table_prints_median_and_spread_from_speed_json_in_the_current_folder():
    # run as a reader's copy: an empty folder holding only the downloaded speed.json
    lines = run_region(REGION).splitlines()
    data = stored()
    assert len(lines) == 3 + len(data["rows"])
    assert lines[0] == f"machine: {data['machine']} | torch {data['torch']}"
    for line, row in zip(lines[3:], data["rows"], strict=True):
        assert line.startswith(row["case"])
        for key in ("module_us", "function_us", "extra_us"):
            t = row[key]
            assert f"{t['median']:.2f} [{t['min']:.2f}, {t['max']:.2f}]" in line


def test_small_cases_the_module_is_slower_in_every_round_by_about_a_microsecond():
    for case in SMALL:
        extra = rows()[case]["extra_us"]
        assert extra["min"] > 0, case  # slower in every round, not only on the median
        assert 0.5 <= extra["median"] <= 2, case  # "about a microsecond"


def test_conv2d_difference_is_within_the_run_to_run_spread():
    row = rows()[BIG]
    extra = row["extra_us"]
    assert extra["min"] < 0 < extra["max"]  # the module was faster in some rounds, slower in others
    for key in ("module_us", "function_us"):  # and the typical difference is below either spread
        assert abs(extra["median"]) < row[key]["max"] - row[key]["min"], key


def test_pages_state_the_number_of_rounds_measure_py_uses():
    root = Path(__file__).resolve().parents[2] / "docs"
    en = (root / "en/posts/nn-vs-functional.md").read_text(encoding="utf-8")
    zh = (root / "zh/posts/nn-vs-functional.md").read_text(encoding="utf-8")
    assert f"in {measure.ROUNDS} rounds per pair" in en
    assert f"每组 {measure.ROUNDS} 轮" in zh

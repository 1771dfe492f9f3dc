import json
from pathlib import Path

from snippets.nn_vs_functional import measure
from tools.outputs import run_region
from tools.regions import Include

REGION = Include("snippets/nn_vs_functional/speed.py", "measured_speed")


def test_committed_measurement_covers_every_case_and_names_the_machine():
    data = json.loads(Path(measure.OUT).read_text())
    assert [r["case"] for r in data["rows"]] == [c[0] for c in measure.cases()]
    assert data["machine"] and data["method"] and data["torch"]


def test_speed_table_prints_one_line_per_case_from_speed_json_in_the_current_folder():
    # run as a reader's copy: an empty folder holding only the downloaded speed.json
    lines = run_region(REGION).splitlines()
    data = json.loads(Path(measure.OUT).read_text())
    assert len(lines) == 3 + len(data["rows"])
    assert lines[0] == f"machine: {data['machine']} | torch {data['torch']}"
    for line, row in zip(lines[3:], data["rows"], strict=True):
        assert line.startswith(row["case"]) and f"{row['module_us']:.1f}" in line

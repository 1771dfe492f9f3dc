import json
from pathlib import Path

from snippets.nn_vs_functional import measure


def test_committed_measurement_covers_every_case_and_names_the_machine():
    data = json.loads(Path(measure.OUT).read_text())
    assert [r["case"] for r in data["rows"]] == [c[0] for c in measure.cases()]
    assert data["machine"] and data["method"] and data["torch"]


def test_speed_table_prints_one_line_per_case(capsys):
    from snippets.nn_vs_functional import speed  # noqa: F401  (prints on import)

    lines = capsys.readouterr().out.splitlines()
    data = json.loads(Path(measure.OUT).read_text())
    assert len(lines) == 3 + len(data["rows"])

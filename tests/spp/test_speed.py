import json
import shutil
from pathlib import Path

from tools.regions import Include, region_code

MEASURED = Path(__file__).resolve().parents[2] / "snippets/spp/measured/sppf_speed.json"


ROWS = json.loads(MEASURED.read_text())["rows"]


def test_committed_measurement_has_11_rounds_per_block_and_shape():
    assert len(ROWS) == 3
    for row in ROWS:
        for block in (row["spp"], row["sppf"]):
            assert len(block["runs"]) == 11
            assert block["min"] == min(block["runs"]) and block["max"] == max(block["runs"])


# The page's sentence on the measurement, checked against the stored rounds.

def test_sppf_is_faster_on_every_shape_and_the_rounds_do_not_overlap():
    assert all(r["spp"]["min"] > r["sppf"]["max"] for r in ROWS)


def test_sppf_is_about_three_times_faster_by_the_medians():
    assert all(2.7 <= r["spp"]["median"] / r["sppf"]["median"] <= 3.5 for r in ROWS)


def test_even_the_largest_ratio_of_extremes_is_below_the_ratio_of_comparisons():
    assert all(r["spp"]["max"] / r["sppf"]["min"] < 275 / 75 for r in ROWS)


def test_region_reads_the_committed_file_from_the_current_folder(tmp_path, monkeypatch, capsys):
    # a reader's copy: an empty folder holding only the downloaded sppf_speed.json
    shutil.copy(MEASURED, tmp_path / MEASURED.name)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    code = region_code(Include("snippets/spp/speed.py", "sppf_speed"))
    exec(compile(code, "sppf_speed", "exec", dont_inherit=True), namespace)
    assert namespace["measured"] == json.loads(MEASURED.read_text())
    assert len(capsys.readouterr().out.splitlines()) == 3 + len(namespace["measured"]["rows"])

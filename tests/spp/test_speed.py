import json
import shutil
from pathlib import Path

from tools.regions import Include, region_code

MEASURED = Path(__file__).resolve().parents[2] / "snippets/spp/measured/sppf_speed.json"


def test_committed_measurement_shows_sppf_faster_on_every_shape():
    rows = json.loads(MEASURED.read_text())["rows"]
    assert rows and all(r["sppf"] < r["spp"] for r in rows)


def test_region_reads_the_committed_file_from_the_current_folder(tmp_path, monkeypatch, capsys):
    # a reader's copy: an empty folder holding only the downloaded sppf_speed.json
    shutil.copy(MEASURED, tmp_path / MEASURED.name)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    code = region_code(Include("snippets/spp/speed.py", "sppf_speed"))
    exec(compile(code, "sppf_speed", "exec", dont_inherit=True), namespace)
    assert namespace["measured"] == json.loads(MEASURED.read_text())
    assert len(capsys.readouterr().out.splitlines()) == 2 + len(namespace["measured"]["rows"])

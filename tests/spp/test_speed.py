import json
from pathlib import Path

from snippets.spp import speed

MEASURED = Path(__file__).resolve().parents[2] / "snippets/spp/measured/sppf_speed.json"


def test_committed_measurement_shows_sppf_faster_on_every_shape():
    rows = json.loads(MEASURED.read_text())["rows"]
    assert rows and all(r["sppf"] < r["spp"] for r in rows)


def test_region_reads_the_committed_file():
    assert speed.measured == json.loads(MEASURED.read_text())

"""The page's sentence on CPU kernels against measured/kernels.json (written by measure.py)."""

import json

import pytest
import torch

from snippets.face_recognition import measure
from snippets.face_recognition.toy2d import mean_intra_class_angle, smallest_gap, train_2d
from tools.regions import ROOT, pages

RUNS = json.loads(measure.OUT.read_text(encoding="utf-8"))["runs"]
SHOWN = (ROOT / "snippets/face_recognition/outputs/toy2d.toy_training.txt").read_text().splitlines()


def runs(dtype):
    return [r for r in RUNS if r["dtype"] == dtype]


def test_every_kernel_of_the_machine_was_measured_in_both_dtypes():
    for dtype in ("float32", "float64"):
        assert [r["capability"] for r in runs(dtype)] == ["default", "avx2", "avx512"]


def test_in_float64_every_kernel_prints_what_the_page_shows():
    for run in runs("float64"):
        assert [run["softmax"]["printed"], run["arcface"]["printed"]] == SHOWN
    for kind in ("softmax", "arcface"):
        for key in ("mean_angle", "smallest_gap"):
            values = [r[kind][key] for r in runs("float64")]
            assert max(values) - min(values) < 1e-6  # the page: "less than 1e-6 degrees"


def test_in_float32_arcface_prints_another_angle_on_each_kernel():
    printed = [f"{r['arcface']['mean_angle']:.2f}" for r in runs("float32")]
    assert len(set(printed)) == len(printed)


def test_the_page_quotes_the_measured_float32_angles():
    a, b, c = (f"{r['arcface']['mean_angle']:.2f}" for r in runs("float32"))
    assert f"{a}, {b} and {c}" in pages("en")["face-recognition"].read_text(encoding="utf-8")
    assert f"{a}、{b} 和 {c}" in pages("zh")["face-recognition"].read_text(encoding="utf-8")


@pytest.mark.parametrize("dtype", ["float64"])
def test_the_stored_float64_run_is_what_train_2d_gives_here(dtype):
    here = torch.backends.cpu.get_cpu_capability().lower()
    stored = {r["capability"]: r for r in runs(dtype)}.get(here) or runs(dtype)[0]
    feats, labels = train_2d("arcface", dtype=getattr(torch, dtype))
    assert mean_intra_class_angle(feats, labels) == pytest.approx(stored["arcface"]["mean_angle"], abs=1e-6)
    assert smallest_gap(feats, labels) == pytest.approx(stored["arcface"]["smallest_gap"], abs=1e-6)

import pytest
import torch

from snippets.face_recognition.toy2d import class_directions, mean_intra_class_angle, smallest_gap, train_2d


@pytest.fixture(scope="module")
def runs():
    return {kind: train_2d(kind) for kind in ("softmax", "arcface")}


def test_arcface_gives_a_smaller_mean_intra_class_angle_than_softmax(runs):
    soft, arc = (mean_intra_class_angle(*runs[k]) for k in ("softmax", "arcface"))
    assert arc < 0.8 * soft


def test_arcface_spreads_the_classes_further_apart(runs):
    assert smallest_gap(*runs["arcface"]) > smallest_gap(*runs["softmax"])


def test_both_runs_learn_the_task(runs):
    for feats, labels in runs.values():
        unit = torch.nn.functional.normalize(feats, dim=1)
        predicted = (unit @ class_directions(feats, labels).T).argmax(1)
        assert (predicted == labels).float().mean() > 0.95


def test_features_are_two_dimensional(runs):
    feats, labels = runs["arcface"]
    assert feats.shape == (1000, 2) and labels.shape == (1000,)


def test_the_run_is_in_float64_unless_asked_otherwise(runs):
    # Why float64: tests/face_recognition/test_measure.py (float32 prints differ between kernels).
    for feats, _ in runs.values():
        assert feats.dtype == torch.float64
    feats, _ = train_2d("arcface", steps=2, dtype=torch.float32)
    assert feats.dtype == torch.float32


def test_with_seed_2_arcface_leaves_two_classes_a_few_degrees_apart():
    # The page's caveat: one small run shows a tendency, not a guarantee.
    arc = smallest_gap(*train_2d("arcface", seed=2))
    assert arc < 10 and arc < smallest_gap(*train_2d("softmax", seed=2))

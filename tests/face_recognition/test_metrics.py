import numpy as np
import pytest

from snippets.face_recognition.metrics import open_set_rates, pair_scores, roc, synthetic_embeddings, tar_at_far


def _brute_force_operating_points(genuine, impostor):
    """(FAR, TAR) for every candidate threshold, counted one score at a time."""
    points = []
    for t in sorted(set(genuine) | set(impostor)):
        far = sum(s >= t for s in impostor) / len(impostor)
        tar = sum(s >= t for s in genuine) / len(genuine)
        points.append((far, tar))
    return points


def test_tar_at_far_equals_brute_force_with_ties():
    rng = np.random.default_rng(0)
    for _ in range(8):
        genuine = np.round(rng.normal(0.6, 0.2, size=40), 2).tolist()  # rounding: ties
        impostor = np.round(rng.normal(0.1, 0.2, size=300), 2).tolist()
        points = _brute_force_operating_points(genuine, impostor)
        for far_target in (0.0, 0.01, 0.05, 0.1, 0.5, 1.0):
            expected = max([tar for far, tar in points if far <= far_target], default=0.0)
            tar, _ = tar_at_far(genuine, impostor, far_target)
            assert tar == pytest.approx(expected)


def test_roc_points_equal_direct_counts():
    rng = np.random.default_rng(1)
    genuine, impostor = rng.normal(1, 1, 50), rng.normal(0, 1, 80)
    thresholds, far, tar = roc(genuine, impostor)
    for t, f, g in zip(thresholds, far, tar, strict=True):
        assert f == np.mean(impostor >= t) and g == np.mean(genuine >= t)
    assert far[-1] == tar[-1] == 1.0  # lowest threshold accepts everything


def test_tar_at_far_is_monotone_in_far():
    genuine, impostor = pair_scores(*synthetic_embeddings())
    targets = np.logspace(-5, 0, 40)
    tars = [tar_at_far(genuine, impostor, f)[0] for f in targets]
    assert all(a <= b for a, b in zip(tars, tars[1:], strict=False))


def test_synthetic_pairs_are_counted_right_and_separate():
    emb, labels = synthetic_embeddings()
    assert np.allclose(np.linalg.norm(emb, axis=1), 1)
    genuine, impostor = pair_scores(emb, labels)
    assert len(genuine) == 100 * 5 * 4 // 2 and len(impostor) == 500 * 499 // 2 - 1000
    assert genuine.mean() > 0.3 > abs(impostor.mean())
    assert 0.5 < tar_at_far(genuine, impostor, 1e-4)[0] < tar_at_far(genuine, impostor, 1e-2)[0]


def test_open_set_threshold_meets_the_fpir_and_dir_is_at_most_rank1():
    emb, labels = synthetic_embeddings(seed=1)
    rank1, _, fpir, dir_ = open_set_rates(emb, labels, enrolled=np.arange(80), fpir_target=0.05)
    assert fpir <= 0.05
    assert dir_ <= rank1
    rank1_b, _, fpir_b, dir_b = open_set_rates(emb, labels, np.arange(80), fpir_target=0.01)
    assert fpir_b <= 0.01 and dir_b <= dir_ and rank1_b == rank1


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="far_target must lie in"):
        tar_at_far([0.5], [0.1], 2.0)
    with pytest.raises(ValueError, match="at least one genuine and one impostor"):
        roc([], [0.1])
    emb, labels = synthetic_embeddings(identities=5, per_identity=2)
    with pytest.raises(ValueError, match="enrolled and of non-enrolled"):
        open_set_rates(emb, labels, enrolled=np.arange(5))

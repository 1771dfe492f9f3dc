"""The flagship section: open-set verification on digits, softmax against ArcFace."""

import functools
import itertools

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_curve

from snippets.face_recognition.digits import (
    angle_to_nearest_class,
    digit_identities,
    embed,
    open_set_tars,
    top_impostors_sharing_a_class,
    train_embedding,
)
from snippets.face_recognition.metrics import pair_scores, roc, tar_at_far

FARS = (1e-1, 1e-2, 1e-3, 1e-4)


@functools.cache
def trained():
    """Both models, trained once per session, as the page's regions train them."""
    train, _, _ = digit_identities()
    return {loss: train_embedding(*train, loss=loss) for loss in ("softmax", "arcface")}


@functools.cache
def tars(split):
    """{pixels, softmax, arcface: TAR at FARS} on the known (1) or new (2) split."""
    x, y = digit_identities()[split]
    rows = {"pixels": open_set_tars(x / np.linalg.norm(x, axis=1, keepdims=True), y, FARS)}
    for loss, (net, _) in trained().items():
        rows[loss] = open_set_tars(embed(net, x), y, FARS)
    return rows


def _sklearn_tar_at_far(genuine, impostor, far_target):
    scores = np.concatenate([genuine, impostor])
    same = np.concatenate([np.ones(len(genuine)), np.zeros(len(impostor))])
    fpr, tpr, _ = roc_curve(same, scores, drop_intermediate=False)
    return tpr[fpr <= far_target].max()


def test_tar_at_far_equals_sklearn_roc_curve_on_random_scores():
    rng = np.random.default_rng(3)
    for _ in range(10):
        genuine = np.round(rng.normal(0.5, 0.25, 200), 2)  # rounded: many ties
        impostor = np.round(rng.normal(0.0, 0.25, 2000), 2)
        for far in (1e-3, 5e-3, 0.01, 0.1, 0.5, 0.9):
            assert tar_at_far(genuine, impostor, far)[0] == pytest.approx(
                _sklearn_tar_at_far(genuine, impostor, far), abs=1e-12)


def test_open_set_tars_equal_a_brute_force_count_over_all_pairs():
    rng = np.random.default_rng(4)
    emb = rng.normal(size=(60, 8))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    labels = rng.integers(0, 6, 60)
    genuine, impostor = [], []
    for i, j in itertools.combinations(range(60), 2):
        (genuine if labels[i] == labels[j] else impostor).append(float(emb[i] @ emb[j]))
    fars = (0.01, 0.05, 0.2)
    for far, ours in zip(fars, open_set_tars(emb, labels, fars), strict=True):
        best = 0.0
        for t in genuine + impostor:  # every threshold, counted one pair at a time
            if sum(s >= t for s in impostor) / len(impostor) <= far:
                best = max(best, sum(s >= t for s in genuine) / len(genuine))
        assert ours == pytest.approx(best)


def test_the_roc_of_both_models_is_monotone():
    x, y = digit_identities()[2]
    for net, _ in trained().values():
        thresholds, far, tar = roc(*pair_scores(embed(net, x), y))
        assert np.all(np.diff(thresholds) < 0)
        assert np.all(np.diff(far) >= 0) and np.all(np.diff(tar) >= 0)
        assert far[-1] == tar[-1] == 1.0


def test_on_known_digits_arcface_beats_softmax_beats_pixels_at_every_far():
    rows = tars(1)
    for pixels, soft, arc in zip(rows["pixels"], rows["softmax"], rows["arcface"], strict=True):
        assert arc > soft > pixels
    gaps = [a - s for s, a in zip(rows["softmax"], rows["arcface"], strict=True)]
    assert all(a < b for a, b in zip(gaps, gaps[1:], strict=False))  # grows as the FAR falls


def test_on_new_digits_pixels_beat_softmax_and_softmax_is_not_behind_arcface():
    rows = tars(2)
    assert all(p > max(s, a) for p, s, a in zip(rows["pixels"], rows["softmax"], rows["arcface"],
                                                strict=True))
    assert all(s > a for s, a in zip(rows["softmax"][:3], rows["arcface"][:3], strict=True))
    assert abs(rows["softmax"][3] - rows["arcface"][3]) < 0.001  # both print 0.002 at 1e-4


def test_arcface_files_new_digits_close_to_a_training_class():
    _, known, new = digit_identities()
    angle = {loss: [angle_to_nearest_class(embed(net, x), w) for x, _ in (known, new)]
             for loss, (net, w) in trained().items()}
    assert angle["arcface"][1] < angle["arcface"][0]  # strangers closer than known digits
    assert angle["softmax"][1] > angle["softmax"][0] + 10
    assert angle["arcface"][1] < angle["softmax"][1] - 15
    x, y = new
    shared = {loss: top_impostors_sharing_a_class(embed(net, x), y, w)
              for loss, (net, w) in trained().items()}
    assert shared["arcface"] > 0.95 and shared["softmax"] < shared["arcface"]


def test_top_impostors_sharing_a_class_counts_the_right_pairs():
    emb = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.14, 0.99]])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    weight = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    # labels 0, 1, 2, 3: the best impostor pairs are (0, 1) and (2, 3), each sharing a class
    assert top_impostors_sharing_a_class(emb, np.arange(4), weight, top=2 / 6) == 1.0
    # with labels 0, 0, 1, 1 the impostor pairs all cross classes
    assert top_impostors_sharing_a_class(emb, np.array([0, 0, 1, 1]), weight, top=1.0) == 0.0


def test_the_split_keeps_new_digits_out_of_training():
    (xt, yt), (xk, yk), (xn, yn) = digit_identities()
    assert len(yt) + len(yk) + len(yn) == 1797
    assert set(yt) == set(yk) == set(range(7)) and set(yn) == {7, 8, 9}
    assert abs(len(yk) / (len(yt) + len(yk)) - 0.25) < 0.01
    assert xt.max() == 1.0 and xt.min() == 0.0


def test_training_is_float64():
    net, weight = trained()["arcface"]
    assert weight.dtype == torch.float64
    assert all(p.dtype == torch.float64 for p in net.parameters())


def test_the_page_s_impostor_counts_allow_4_and_9_false_accepts_at_1e_4():
    counts = [len(pair_scores(x, y)[1]) for x, y in digit_identities()[1:]]
    assert counts == [42794, 94686]
    assert [int(n * 1e-4) for n in counts] == [4, 9]
    assert all(1 / n < 1e-4 for n in counts) and not all(1 / n < 1e-5 for n in counts)


def test_the_smallest_far_is_one_over_the_impostor_count():
    rng = np.random.default_rng(5)
    emb = rng.normal(size=(20, 4))
    labels = np.repeat(np.arange(4), 5)  # 40 genuine, 150 impostor pairs
    assert len(open_set_tars(emb, labels, [1 / 150])) == 1
    with pytest.raises(ValueError, match="below 1/150"):
        open_set_tars(emb, labels, [1e-3])


def test_bad_input_raises_clear_errors():
    emb, labels = np.eye(4), np.array([0, 0, 1, 1])
    for far in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            open_set_tars(emb, labels, [far])
    with pytest.raises(ValueError, match="0 impostor pairs"):
        open_set_tars(emb, np.zeros(4), [0.5])
    with pytest.raises(ValueError, match="0 genuine"):
        open_set_tars(emb, np.arange(4), [0.5])
    with pytest.raises(ValueError, match="4 embeddings but 3 labels"):
        open_set_tars(emb, labels[:3], [0.5])

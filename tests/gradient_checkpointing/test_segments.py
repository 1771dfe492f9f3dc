import math

import pytest

from snippets.gradient_checkpointing.segments import measure_once, predicted_saved

UNIT = 512 * 16 * 4
N = 18


@pytest.fixture(scope="module")
def sweep():
    return {s: measure_once(s) for s in list(range(1, N + 1)) + [None]}


@pytest.fixture(scope="module")
def relu():
    return {s: measure_once(s, 16, "relu", peak=False)["saved"] for s in range(1, 17)}


def test_saved_tensors_are_boundaries_plus_the_last_segment_for_every_segment_count(sweep):
    for s in range(1, N + 1):
        assert sweep[s]["saved"] == predicted_saved(s, N) * UNIT, s


def test_relu_blocks_share_tensors_so_each_block_adds_one(relu):
    # ReLU saves its output, which is also the next Linear's input: (s - 1) boundaries,
    # then the last segment's input and one output per block.
    n = 16
    for s in range(1, n + 1):
        last = n - (s - 1) * (n // s)
        assert relu[s] == ((s - 1) + last + 1) * UNIT
    assert relu[n] == relu[1]  # n segments of one ReLU block each: nothing saved at all


def test_measured_best_segment_count_is_sqrt_of_n_times_a_over_b(sweep, relu):
    best = min(range(1, N + 1), key=lambda s: sweep[s]["saved"])
    assert best == round(math.sqrt(2 * N)) == 6
    assert min(relu, key=relu.get) == round(math.sqrt(16)) == 4


def test_recomputed_segment_never_stacks_on_the_last_segment(sweep):
    # If it did, the peak would exceed the saved bytes by a whole segment (2 * n // s tensors).
    for s in range(2, N + 1):
        extra = (sweep[s]["peak"] - sweep[s]["saved"]) / UNIT
        assert extra < 1.5, (s, extra)
        assert extra < 2 * (N // s)


def test_extra_forwards_are_the_blocks_of_the_checkpointed_segments(sweep):
    for s in range(1, N + 1):
        assert sweep[s]["extra_forwards"] == (s - 1) * (N // s)
    assert sweep[None]["extra_forwards"] == N
    assert sweep[None]["saved"] == N * UNIT


def test_six_segments_save_less_than_a_third_of_plain(sweep):
    assert sweep[6]["saved"] / sweep[1]["saved"] == pytest.approx(11 / 36)


@pytest.mark.parametrize("segments", [0, 19, 2.5, "4"])
def test_measure_once_rejects_a_bad_segment_count(segments):
    with pytest.raises(ValueError, match="segments must be an int in 1..18"):
        measure_once(segments)

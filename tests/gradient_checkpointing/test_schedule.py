import math

import pytest

from snippets.gradient_checkpointing.schedule import simulate


def forwards(steps):
    return sum(kind != "backward" for kind, _ in steps)


@pytest.mark.parametrize("n", [1, 4, 9, 16, 25])
def test_keep_everything_holds_n_plus_1_outputs_and_computes_each_once(n):
    steps, held = simulate(n, "keep")
    assert forwards(steps) == n and max(held) == n + 1


@pytest.mark.parametrize("n", [4, 9, 16, 25, 64])
def test_recompute_everything_holds_a_constant_and_computes_quadratically(n):
    steps, held = simulate(n, "recompute")
    assert max(held) <= 3
    assert forwards(steps) == n + n * (n - 1) // 2


@pytest.mark.parametrize("n", [4, 9, 16, 25, 64])
def test_sqrt_n_checkpoints_hold_about_2_sqrt_n_for_one_extra_forward(n):
    k = math.isqrt(n)
    steps, held = simulate(n, "segments", k)
    assert max(held) == n // k + k
    assert forwards(steps) == 2 * n - n // k  # about one extra forward


@pytest.mark.parametrize("n", [5, 16, 30])
def test_every_backward_step_comes_once_per_layer_last_layer_first(n):
    for strategy, every in (("keep", None), ("recompute", None), ("segments", 3)):
        steps, _ = simulate(n, strategy, every)
        assert [layer for kind, layer in steps if kind == "backward"] == list(range(n, 0, -1))


@pytest.mark.parametrize(("args", "message"), [
    ((0, "keep"), "n must be a positive int"),
    ((8, "sometimes"), "strategy must be"),
    ((8, "segments"), "segments needs every in 1..8"),
    ((8, "segments", 9), "segments needs every in 1..8"),
])
def test_simulate_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        simulate(*args)

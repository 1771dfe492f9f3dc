import torch

from snippets.gradient_checkpointing.rng import dropout_gradients


def test_preserved_rng_state_gives_bitwise_equal_gradients_with_dropout():
    assert torch.equal(dropout_gradients(False), dropout_gradients(True, preserve_rng_state=True))


def test_without_rng_preservation_the_recompute_draws_another_mask():
    plain = dropout_gradients(False)
    lost = dropout_gradients(True, preserve_rng_state=False)
    assert not torch.allclose(plain, lost, atol=1e-6)
    # Not noise: a sizeable part of the largest gradient.
    assert (plain - lost).abs().max() > 0.1 * plain.abs().max()


def test_plain_dropout_run_is_reproducible():
    assert torch.equal(dropout_gradients(False), dropout_gradients(False))

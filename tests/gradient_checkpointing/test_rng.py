import torch

from snippets.gradient_checkpointing.rng import dropout_gradients


def test_preserved_rng_state_gives_bitwise_equal_gradients_with_dropout():
    assert torch.equal(dropout_gradients(False), dropout_gradients(True, preserve_rng_state=True))


def test_without_rng_preservation_the_recompute_draws_another_mask():
    plain = dropout_gradients(False)
    lost = dropout_gradients(True, preserve_rng_state=False)
    assert not torch.allclose(plain, lost, atol=1e-6)
    # The page: "off by about half the largest gradient".
    assert 0.4 < (plain - lost).abs().max() / plain.abs().max() < 0.6


def test_plain_dropout_run_is_reproducible():
    assert torch.equal(dropout_gradients(False), dropout_gradients(False))

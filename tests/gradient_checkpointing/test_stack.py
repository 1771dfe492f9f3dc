"""The GPT-stack section: what checkpointing each layer saves and what the peak keeps."""

import functools

import pytest
import torch
from torch.nn.attention import SDPBackend, sdpa_kernel

from snippets.gradient_checkpointing.attention import GPTLayer
from snippets.gradient_checkpointing.stack import stack_memory

LAYERS, B, H = 4, 2, 64


@functools.cache
def run(attention, checkpointed, seq):
    return stack_memory(attention, checkpointed, seq)


@pytest.mark.parametrize("attention", ["eager", "flash"])
@pytest.mark.parametrize("seq", [128, 512])
def test_a_checkpointed_stack_saves_exactly_the_input_of_each_layer(attention, seq):
    saved, _ = run(attention, True, seq)
    assert saved == LAYERS * B * seq * H * 4


def test_without_checkpointing_flash_saved_bytes_double_with_the_sequence_and_eager_ones_more():
    assert run("flash", False, 1024)[0] == 2 * run("flash", False, 512)[0]
    assert run("eager", False, 1024)[0] > 3 * run("eager", False, 512)[0]


def test_checkpointing_keeps_the_square_in_the_eager_peak_and_flash_removes_it():
    eager = run("eager", True, 1024)[1] / run("eager", True, 512)[1]
    flash = run("flash", True, 1024)[1] / run("flash", True, 512)[1]
    assert eager > 3.5  # close to 4: the s x s matrices of the layer being recomputed
    assert flash < 2.1  # close to 2: linear in the sequence


def test_flash_alone_peaks_below_checkpointed_eager_from_512_tokens_not_at_256():
    assert run("eager", True, 256)[1] < run("flash", False, 256)[1]
    for seq in (512, 1024):
        assert run("flash", False, seq)[1] < run("eager", True, seq)[1]


def test_checkpointing_lowers_the_peak_for_both_attentions():
    for attention in ("eager", "flash"):
        for seq in (128, 1024):
            assert run(attention, True, seq)[1] < run(attention, False, seq)[1]


def test_eager_and_flash_layers_compute_the_same_function_without_attention_dropout():
    torch.manual_seed(0)
    eager = GPTLayer(H, 4, "eager", attention_dropout=0.0).eval()
    flash = GPTLayer(H, 4, "sdpa", attention_dropout=0.0).eval()
    flash.load_state_dict(eager.state_dict())
    x = torch.randn(B, 128, H)
    with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
        torch.testing.assert_close(flash(x), eager(x), atol=1e-5, rtol=1e-5)


def test_an_unknown_attention_names_the_choices():
    with pytest.raises(ValueError, match="'eager' or 'flash', got 'sdpa'"):
        stack_memory("sdpa", False, 128)

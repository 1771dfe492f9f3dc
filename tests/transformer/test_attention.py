import itertools

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.transformer.attention import MultiHeadAttention, attention
from snippets.transformer.positional import sinusoidal_encoding

F64 = torch.float64


def rand(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=F64)


def test_attention_equals_scaled_dot_product_attention_without_mask():
    q, k, v = rand(3, 2, 5, 8, seed=1), rand(3, 2, 7, 8, seed=2), rand(3, 2, 7, 4, seed=3)
    ours, _ = attention(q, k, v)
    assert torch.allclose(ours, F.scaled_dot_product_attention(q, k, v), rtol=0, atol=1e-12)


def test_attention_equals_sdpa_with_causal_mask():
    q, k, v = (rand(2, 6, 8, seed=s) for s in range(3))
    causal = torch.ones(6, 6, dtype=torch.bool).tril()
    ours, weights = attention(q, k, v, causal)
    theirs = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    assert torch.allclose(ours, theirs, rtol=0, atol=1e-12)
    assert bool((weights.triu(1) == 0).all())


def make_pair(d_model=16, heads=4, seed=0):
    torch.manual_seed(seed)
    mha = nn.MultiheadAttention(d_model, heads, batch_first=True, dtype=F64).eval()
    return mha, MultiHeadAttention(d_model, heads).double().copy_from(mha)


@pytest.mark.parametrize("seed", range(3))
def test_multi_head_equals_nn_multihead_attention_with_both_masks(seed):
    mha, ours = make_pair(seed=seed)
    query, memory = rand(3, 5, 16, seed=seed + 10), rand(3, 7, 16, seed=seed + 20)
    padding = torch.zeros(3, 7, dtype=torch.bool)
    padding[1, 5:] = True
    padding[2, 2:4] = True
    blocked = torch.rand(5, 7, generator=torch.Generator().manual_seed(seed)) > 0.7
    blocked[:, 0] = False  # keep one visible key per row
    out, w = ours(query, memory, memory, key_padding_mask=padding, attn_mask=blocked)
    ref_out, ref_w = mha(query, memory, memory, key_padding_mask=padding, attn_mask=blocked,
                         need_weights=True, average_attn_weights=False)
    assert torch.allclose(out, ref_out, rtol=0, atol=1e-12)
    assert w.shape == ref_w.shape == (3, 4, 5, 7)
    assert torch.allclose(w, ref_w, rtol=0, atol=1e-12)
    assert bool((w[1, :, :, 5:] == 0).all()) and bool((w[:, :, blocked] == 0).all())


def test_averaged_weights_are_the_mean_over_heads():
    mha, ours = make_pair()
    x = rand(2, 6, 16, seed=5)
    _, w = ours(x, x, x)
    _, avg = mha(x, x, x, need_weights=True)  # average_attn_weights=True by default
    assert torch.allclose(w.mean(dim=1), avg, rtol=0, atol=1e-12)


def test_bool_masks_mean_opposite_things_in_sdpa_and_multihead_attention():
    # F.scaled_dot_product_attention: True = may attend; nn.MultiheadAttention: True = blocked.
    mha, ours = make_pair()
    x = rand(1, 4, 16, seed=6)
    causal_allowed = torch.ones(4, 4, dtype=torch.bool).tril()
    with_blocked, _ = mha(x, x, x, attn_mask=~causal_allowed)
    ours_out, _ = ours(x, x, x, attn_mask=~causal_allowed)
    assert torch.allclose(ours_out, with_blocked, atol=1e-12)
    wrong, _ = mha(x, x, x, attn_mask=causal_allowed)
    assert not torch.allclose(wrong[:, 1:], with_blocked[:, 1:])


def test_multi_head_rejects_indivisible_width():
    with pytest.raises(ValueError, match="not divisible by heads"):
        MultiHeadAttention(10, 4)


def test_causal_mask_makes_earlier_outputs_independent_of_later_tokens():
    x = rand(6, 8, seed=7)
    causal = torch.ones(6, 6, dtype=torch.bool).tril()

    def f(t):
        return attention(t, t, t, causal)[0]

    jac = torch.autograd.functional.jacobian(f, x)  # (6, 8, 6, 8): d out[i] / d x[j]
    dependence = jac.abs().sum(dim=(1, 3))
    assert bool((dependence.triu(1) == 0).all())
    assert bool((dependence.diagonal() > 0).all())


def test_self_attention_without_positions_is_permutation_equivariant():
    _, attn = make_pair()
    x = rand(1, 5, 16, seed=8)
    for perm in itertools.islice(itertools.permutations(range(5)), 0, 120, 17):
        p = torch.tensor(perm)
        assert torch.allclose(attn(x[:, p], x[:, p], x[:, p])[0], attn(x, x, x)[0][:, p],
                              atol=1e-12)


def test_positional_encoding_breaks_permutation_equivariance():
    _, attn = make_pair()
    x = rand(1, 5, 16, seed=8)
    pe = sinusoidal_encoding(5, 16, dtype=F64)
    p = torch.tensor([1, 0, 2, 3, 4])
    y, y_perm = attn(x + pe, x + pe, x + pe)[0], attn(x[:, p] + pe, x[:, p] + pe, x[:, p] + pe)[0]
    assert not torch.allclose(y_perm, y[:, p], atol=1e-6)


@pytest.mark.parametrize("d_k", [16, 64, 256])
def test_dot_product_of_unit_variance_vectors_has_variance_d_k(d_k):
    gen = torch.Generator().manual_seed(d_k)
    q, k = torch.randn(20000, d_k, generator=gen, dtype=F64), torch.randn(20000, d_k, generator=gen, dtype=F64)
    dots = (q * k).sum(-1)
    assert dots.var().item() == pytest.approx(d_k, rel=0.05)
    assert (dots / d_k ** 0.5).var().item() == pytest.approx(1.0, rel=0.05)


def test_without_scaling_the_softmax_saturates_as_d_k_grows():
    gen = torch.Generator().manual_seed(0)
    peaks = []
    for d_k in (16, 512):
        q, k = torch.randn(5000, d_k, generator=gen, dtype=F64), torch.randn(5000, d_k, generator=gen, dtype=F64)
        rows = (q * k).sum(-1).view(500, 10)
        peaks.append((rows.softmax(-1).max(-1).values.mean(),
                      (rows / d_k ** 0.5).softmax(-1).max(-1).values.mean()))
    (raw16, scaled16), (raw512, scaled512) = peaks
    assert raw512 > 0.9 and raw512 > raw16
    assert abs(scaled512 - scaled16) < 0.05  # scaling makes the peak independent of d_k

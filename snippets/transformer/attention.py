"""Scaled dot-product attention and multi-head attention, checked against PyTorch."""

# --8<-- [start:scaled_dot_product]
import math

import torch


def attention(q, k, v, allowed=None):
    """softmax(Q K^T / sqrt(d_k)) V. allowed: bool mask, True = may attend.

    q: (..., L, d_k), k: (..., S, d_k), v: (..., S, d_v).
    Returns (output (..., L, d_v), weights (..., L, S))."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if allowed is not None:
        scores = scores.masked_fill(~allowed, float("-inf"))
    weights = scores.softmax(dim=-1)
    return weights @ v, weights


if __name__ == "__main__":
    import torch.nn.functional as F

    gen = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 4, 6, 8, generator=gen, dtype=torch.float64)
               for _ in range(3))  # batch 2, 4 heads, 6 positions, d_k 8
    allowed = torch.rand(6, 6, generator=gen) > 0.3
    allowed.fill_diagonal_(True)  # every query may attend to at least one key
    ours, weights = attention(q, k, v, allowed)
    theirs = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    print("equals F.scaled_dot_product_attention:",
          torch.allclose(ours, theirs, rtol=0, atol=1e-12))
    print("each row of weights sums to 1:",
          torch.allclose(weights.sum(-1), torch.ones(2, 4, 6, dtype=torch.float64)))
    print("masked weights are exactly 0:", bool((weights[..., ~allowed] == 0).all()))
# --8<-- [end:scaled_dot_product]


# --8<-- [start:why_sqrt_dk]
import torch

if __name__ == "__main__":
    gen = torch.Generator().manual_seed(0)
    print(" d_k   Var(q.k)   Var(q.k/sqrt(d_k))   top softmax weight: raw / scaled")
    for d_k in (16, 64, 256, 512):
        q = torch.randn(8000, d_k, generator=gen, dtype=torch.float64)
        k = torch.randn(8000, d_k, generator=gen, dtype=torch.float64)
        dots = (q * k).sum(-1)
        # 800 queries with 10 keys each: how peaked is the softmax?
        rows = dots.view(800, 10)
        raw = rows.softmax(-1).max(-1).values.mean()
        scaled = (rows / d_k ** 0.5).softmax(-1).max(-1).values.mean()
        print(f"{d_k:4d}   {dots.var():8.1f}   {(dots / d_k ** 0.5).var():18.3f}"
              f"   {raw:19.3f} / {scaled:.3f}")
# --8<-- [end:why_sqrt_dk]


# needs: scaled_dot_product
# --8<-- [start:multi_head]
import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """MultiHead(Q, K, V) = Concat(head_1..head_h) W_O,
    head_i = Attention(Q W_Q_i, K W_K_i, V W_V_i).
    Inputs are (batch, seq, d_model)."""

    def __init__(self, d_model, heads):
        super().__init__()
        if d_model % heads:
            raise ValueError(f"d_model={d_model} is not divisible by heads={heads}")
        self.heads, self.d_k = heads, d_model // heads
        self.w_q, self.w_k, self.w_v, self.w_o = (nn.Linear(d_model, d_model)
                                                  for _ in range(4))

    def split(self, x):  # (B, T, d_model) -> (B, heads, T, d_k)
        return x.view(x.shape[0], x.shape[1], self.heads, self.d_k).transpose(1, 2)

    def forward(self, query, key, value, key_padding_mask=None, attn_mask=None):
        """Masks follow nn.MultiheadAttention: True means "do NOT attend"."""
        q = self.split(self.w_q(query))
        k, v = self.split(self.w_k(key)), self.split(self.w_v(value))
        blocked = torch.zeros(q.shape[0], 1, q.shape[2], k.shape[2], dtype=torch.bool)
        if attn_mask is not None:
            blocked = blocked | attn_mask  # (L, S)
        if key_padding_mask is not None:
            blocked = blocked | key_padding_mask[:, None, None, :]  # (B, S)
        out, weights = attention(q, k, v, allowed=~blocked)
        out = out.transpose(1, 2).reshape(query.shape[0], query.shape[1], -1)
        return self.w_o(out), weights

    @torch.no_grad()
    def copy_from(self, mha: nn.MultiheadAttention):
        """Take the weights of a batch_first nn.MultiheadAttention."""
        for mine, w, b in zip((self.w_q, self.w_k, self.w_v),
                              mha.in_proj_weight.chunk(3), mha.in_proj_bias.chunk(3),
                              strict=True):
            mine.weight.copy_(w)
            mine.bias.copy_(b)
        self.w_o.load_state_dict(mha.out_proj.state_dict())
        return self


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model, heads = 16, 4
    mha = nn.MultiheadAttention(d_model, heads, batch_first=True,
                                dtype=torch.float64).eval()
    ours = MultiHeadAttention(d_model, heads).double().copy_from(mha)
    query = torch.randn(2, 5, d_model, dtype=torch.float64)  # 2 sequences, 5 queries
    memory = torch.randn(2, 7, d_model, dtype=torch.float64)  # 7 keys/values
    padding = torch.tensor([[False] * 7, [False] * 5 + [True] * 2])  # 2nd: 2 pads
    blocked = torch.zeros(5, 7, dtype=torch.bool)
    blocked[0, 3] = True  # query 0 may not look at key 3
    out, w = ours(query, memory, memory, key_padding_mask=padding, attn_mask=blocked)
    ref_out, ref_w = mha(query, memory, memory, key_padding_mask=padding,
                         attn_mask=blocked, need_weights=True,
                         average_attn_weights=False)
    print("outputs equal:", torch.allclose(out, ref_out, rtol=0, atol=1e-12))
    print("per-head weights equal:", torch.allclose(w, ref_w, rtol=0, atol=1e-12),
          tuple(w.shape))
    print("weight on padded keys:", w[1, :, :, 5:].abs().max().item(),
          " on blocked pair:", w[:, :, 0, 3].abs().max().item())
# --8<-- [end:multi_head]


# needs: scaled_dot_product
# --8<-- [start:causal_mask]
import torch

if __name__ == "__main__":
    gen = torch.Generator().manual_seed(0)
    n, d = 6, 8
    x = torch.randn(n, d, generator=gen, dtype=torch.float64)
    causal = torch.ones(n, n, dtype=torch.bool).tril()  # position i sees 0..i
    print(causal.int())
    out, _ = attention(x, x, x, causal)
    changed = x.clone()
    # new tokens at positions 4 and 5
    changed[4:] = torch.randn(2, d, generator=gen, dtype=torch.float64)
    out_changed, _ = attention(changed, changed, changed, causal)
    print("outputs 0..3 unchanged:", torch.equal(out[:4], out_changed[:4]))
    print("outputs 4..5 changed:  ", not torch.allclose(out[4:], out_changed[4:]))
# --8<-- [end:causal_mask]


# On the page this comes from the earlier block that `# needs:` names.
from snippets.transformer.positional import sinusoidal_encoding

# needs: multi_head, positional.py:sinusoidal_pe
# --8<-- [start:permutation_equivariance]
import torch

if __name__ == "__main__":
    torch.manual_seed(0)
    attn = MultiHeadAttention(16, 4).double()
    x = torch.randn(1, 6, 16, dtype=torch.float64)
    perm = torch.tensor([3, 0, 5, 1, 4, 2])

    def self_attend(t):
        return attn(t, t, t)[0]

    print("no positions:  f(x[perm]) == f(x)[perm]:",
          torch.allclose(self_attend(x[:, perm]), self_attend(x)[:, perm],
                         atol=1e-12))
    pe = sinusoidal_encoding(6, 16, dtype=torch.float64)
    print("with encoding: f(x[perm] + PE) == f(x + PE)[perm]:",
          torch.allclose(self_attend(x[:, perm] + pe), self_attend(x + pe)[:, perm],
                         atol=1e-12))
# --8<-- [end:permutation_equivariance]

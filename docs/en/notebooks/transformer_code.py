# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # From RNN to Transformer
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. First install what it needs:
#
# ```bash
# pip install torch --index-url https://download.pytorch.org/whl/cpu
# ```

# %%
# The files this article's code reads: fetched from the site when not in this folder.
import os
import urllib.request
from pathlib import Path

site = os.environ.get("PYML_NOTES_SITE", "https://pyml-notes.github.io/")
for name, url in [
    ('timings.json', '_src/snippets/transformer/measured/timings.json'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)

# %% [markdown]
# ## The question
#
# ## Recurrent networks
#
# ### The recurrence

# %%
import torch
from torch import nn


def rnn_forward(x, w_xh, w_hh, b, h0):
    """h_t = tanh(W_xh x_t + W_hh h_(t-1) + b), one time step after another.

    x: (seq, batch, input). Returns (all h_t, last h)."""
    h, outputs = h0, []
    for x_t in x:  # step t cannot start before step t-1 has finished
        h = torch.tanh(x_t @ w_xh.T + h @ w_hh.T + b)
        outputs.append(h)
    return torch.stack(outputs), h


if __name__ == "__main__":
    torch.manual_seed(0)
    rnn = nn.RNN(input_size=4, hidden_size=8, dtype=torch.float64)
    x = torch.randn(5, 2, 4, dtype=torch.float64)  # 5 steps, batch 2
    h0 = torch.zeros(1, 2, 8, dtype=torch.float64)
    ours, h_last = rnn_forward(x, rnn.weight_ih_l0, rnn.weight_hh_l0,
                               rnn.bias_ih_l0 + rnn.bias_hh_l0, h0[0])
    theirs, _ = rnn(x, h0)
    # not bit for bit: nn.RNN adds its two biases separately, in another order
    print("outputs:", tuple(ours.shape), " equal to nn.RNN within 1e-12:",
          torch.allclose(ours, theirs, rtol=0, atol=1e-12))

# %% [markdown]
# ### Two problems

# %%
import torch
from torch import nn

CELLS = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}


def make_cell(kind, hidden=32, scale=1.0, forget_bias=0.0, seed=0):
    """A float64 cell whose recurrent weights have entries N(0, scale^2/hidden)."""
    if kind not in CELLS:
        raise ValueError(f"kind must be one of {sorted(CELLS)}, got {kind!r}")
    torch.manual_seed(seed)
    cell = CELLS[kind](hidden, hidden, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_hh.normal_(0.0, scale / hidden ** 0.5)
        if forget_bias:
            if kind != "lstm":
                raise ValueError("forget_bias applies to an LSTM only")
            cell.bias_ih[hidden:2 * hidden] += forget_bias  # gate order i,f,g,o
    return cell


def run_cell(cell, x):
    """Run a cell over x (seq, batch, hidden); return the hidden states."""
    h = torch.zeros(x.shape[1], cell.hidden_size, dtype=x.dtype)
    c = torch.zeros_like(h)
    states = []
    for x_t in x:
        if isinstance(cell, nn.LSTMCell):
            h, c = cell(x_t, (h, c))
        else:
            h = cell(x_t, h)
        states.append(h)
    return states


def input_gradient_norms(cell, distances, seed=1):
    """||d h_t / d x_1|| (through sum(h_t)) for each t in distances."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(max(distances), 1, cell.hidden_size, generator=gen,
                    dtype=torch.float64).requires_grad_()
    states = run_cell(cell, x)
    norms = []
    for t in distances:
        (grad,) = torch.autograd.grad(states[t - 1].sum(), x, retain_graph=True)
        norms.append(grad[0].norm().item())
    return norms


if __name__ == "__main__":
    distances = [1, 10, 25, 50, 100]
    # (cell, scale, forget bias): scales 2.5 and 6 explode, yet little enough that
    # the rounding of the last bits, which they amplify too, stays out of the table
    cases = [("rnn", 1.0, 0.0), ("rnn", 2.5, 0.0), ("lstm", 1.0, 0.0),
             ("lstm", 1.0, 3.0), ("lstm", 6.0, 0.0), ("gru", 6.0, 0.0)]
    print("cell  scale  forget bias  " + "".join(f"t={t:<7}" for t in distances))
    for kind, scale, bias in cases:
        norms = input_gradient_norms(make_cell(kind, scale=scale,
                                               forget_bias=bias), distances)
        print(f"{kind:4}  {scale:5}  {bias:11}  "
              + "".join(f"{n:<9.1e}" for n in norms))

# %% [markdown]
# ## LSTM and GRU
#
# ### LSTM

# %%
import torch


def lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One LSTM step. PyTorch stacks the gate weights in the order i, f, g, o."""
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    i, f, g, o = gates.chunk(4, dim=-1)
    i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
    g = torch.tanh(g)
    c_next = f * c + i * g  # the cell state: an additive path through time
    h_next = o * torch.tanh(c_next)
    return h_next, c_next


if __name__ == "__main__":
    from torch import nn

    torch.manual_seed(0)
    cell = nn.LSTMCell(input_size=3, hidden_size=5, dtype=torch.float64)
    x, h, c = (torch.randn(2, n, dtype=torch.float64) for n in (3, 5, 5))
    ours = lstm_cell(x, h, c, cell.weight_ih, cell.weight_hh,
                     cell.bias_ih, cell.bias_hh)
    theirs = cell(x, (h, c))
    print("h equal:", torch.allclose(ours[0], theirs[0], rtol=0, atol=1e-12),
          " c equal:", torch.allclose(ours[1], theirs[1], rtol=0, atol=1e-12))

# %% [markdown]
# ### GRU

# %%
import torch


def gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    """One GRU step in PyTorch's convention (gate order r, z, n)."""
    xr, xz, xn = (x @ w_ih.T + b_ih).chunk(3, dim=-1)
    hr, hz, hn = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(xr + hr)  # reset gate
    z = torch.sigmoid(xz + hz)  # update gate
    n = torch.tanh(xn + r * hn)  # r multiplies (W_hn h + b_hn), bias included
    return (1 - z) * n + z * h


def gru_cell_cho(x, h, w_ih, w_hh, b_ih, b_hh):
    """Cho et al. (2014): the reset gate acts on h before the product."""
    xr, xz, xn = (x @ w_ih.T + b_ih).chunk(3, dim=-1)
    w_hr, w_hz, w_hn = w_hh.chunk(3, dim=0)
    b_hr, b_hz, b_hn = b_hh.chunk(3)
    r = torch.sigmoid(xr + h @ w_hr.T + b_hr)
    z = torch.sigmoid(xz + h @ w_hz.T + b_hz)
    n = torch.tanh(xn + (r * h) @ w_hn.T + b_hn)
    return (1 - z) * n + z * h


if __name__ == "__main__":
    from torch import nn

    torch.manual_seed(0)
    cell = nn.GRUCell(input_size=3, hidden_size=5, dtype=torch.float64)
    x = torch.randn(2, 3, dtype=torch.float64)
    h = torch.randn(2, 5, dtype=torch.float64)
    weights = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    theirs = cell(x, h)
    print("PyTorch convention equals nn.GRUCell:",
          torch.allclose(gru_cell(x, h, *weights), theirs, rtol=0, atol=1e-12))
    print("Cho et al. variant equals nn.GRUCell:",
          torch.allclose(gru_cell_cho(x, h, *weights), theirs, rtol=0, atol=1e-12))

# %% [markdown]
# ### Gates treat vanishing, not explosion

# %%
import torch

if __name__ == "__main__":
    cell = make_cell("lstm", scale=6.0)  # an LSTM whose gradients explode
    x = torch.randn(100, 1, 32, dtype=torch.float64,
                    generator=torch.Generator().manual_seed(1))
    x.requires_grad_()
    run_cell(cell, x)[-1].sum().backward()
    grads = [p.grad.clone() for p in cell.parameters()] + [x.grad.clone()]
    before = torch.nn.utils.clip_grad_norm_(list(cell.parameters()) + [x],
                                            max_norm=1.0)
    after = torch.cat([p.grad.flatten() for p in cell.parameters()]
                      + [x.grad.flatten()])
    cosine = torch.nn.functional.cosine_similarity(
        torch.cat([g.flatten() for g in grads]), after, dim=0)
    print(f"gradient norm before clipping: {before:.2e}")
    print(f"after clip_grad_norm_(max_norm=1.0): {after.norm():.4f}")
    print(f"direction kept (cosine): {cosine:.4f}")

# %% [markdown]
# ## Transformer
#
# ### Scaled dot-product attention

# %%
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

# %%
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

# %% [markdown]
# ### Multi-head attention

# %%
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

# %% [markdown]
# ### Positional encoding

# %%
import torch


def sinusoidal_encoding(n_positions, d_model, base=10000.0, dtype=torch.float32):
    """PE(pos, 2i)   = sin(pos / base^(2i/d))
    PE(pos, 2i+1) = cos(pos / base^(2i/d))"""
    if d_model % 2:
        raise ValueError(f"d_model must be even, got {d_model}")
    pos = torch.arange(n_positions, dtype=torch.float64)[:, None]
    freq = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    pe = torch.empty(n_positions, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe.to(dtype)


if __name__ == "__main__":
    pe = sinusoidal_encoding(50, 16)
    print("shape:", tuple(pe.shape))
    print("PE(0)[:4]:", [round(v, 4) for v in pe[0, :4].tolist()])
    print("PE(1)[:4]:", [round(v, 4) for v in pe[1, :4].tolist()])
    print("every row has norm sqrt(d/2):",
          torch.allclose(pe.norm(dim=1), torch.full((50,), 8 ** 0.5)))

# %%
import torch


def shift_matrix(k, d_model, base=10000.0):
    """Block-diagonal R(k) with PE(pos + k) = R(k) PE(pos) for every pos:
    one 2x2 rotation by k * w_i for each (sin, cos) pair."""
    freq = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    r = torch.zeros(d_model, d_model, dtype=torch.float64)
    cos, sin = torch.cos(k * freq), torch.sin(k * freq)
    r[0::2, 0::2] = torch.diag(cos)  # sin(a+b) =  cos b * sin a + sin b * cos a
    r[0::2, 1::2] = torch.diag(sin)
    r[1::2, 0::2] = torch.diag(-sin)  # cos(a+b) = -sin b * sin a + cos b * cos a
    r[1::2, 1::2] = torch.diag(cos)
    return r


if __name__ == "__main__":
    d = 16
    pe = sinusoidal_encoding(200, d, dtype=torch.float64)
    for k in (1, 7, 50):
        r = shift_matrix(k, d)
        error = (pe[:-k] @ r.T - pe[k:]).abs().max().item()
        orthogonal = torch.allclose(r @ r.T, torch.eye(d, dtype=torch.float64))
        print(f"k={k:2d}: R(k) PE(pos) == PE(pos+k) for pos 0..{199 - k}:"
              f" {error < 1e-12};  R(k) orthogonal: {orthogonal}")

# %%
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

# %% [markdown]
# ### Residual connections and LayerNorm

# %%
import torch
from torch import nn


class EncoderLayer(nn.Module):
    """Self-attention and a position-wise feed-forward net, each in a residual block.

    post-LN (the paper): x = LayerNorm(x + Sublayer(x))
    pre-LN (common now): x = x + Sublayer(LayerNorm(x))
    """

    def __init__(self, d_model, heads, d_ff, pre_ln=False):
        super().__init__()
        self.pre_ln = pre_ln
        self.attn = MultiHeadAttention(d_model, heads)
        # FFN(x) = max(0, x W1 + b1) W2 + b2
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(),
                                 nn.Linear(d_ff, d_model))
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, key_padding_mask=None):
        def self_attention(t):
            return self.attn(t, t, t, key_padding_mask=key_padding_mask)[0]

        if self.pre_ln:
            x = x + self_attention(self.norm1(x))
            return x + self.ffn(self.norm2(x))
        x = self.norm1(x + self_attention(x))
        return self.norm2(x + self.ffn(x))

    @torch.no_grad()
    def copy_from(self, layer: nn.TransformerEncoderLayer):
        self.attn.copy_from(layer.self_attn)
        self.ffn[0].load_state_dict(layer.linear1.state_dict())
        self.ffn[2].load_state_dict(layer.linear2.state_dict())
        self.norm1.load_state_dict(layer.norm1.state_dict())
        self.norm2.load_state_dict(layer.norm2.state_dict())
        return self


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    for pre_ln in (False, True):
        ref = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                         norm_first=pre_ln,
                                         dtype=torch.float64).eval()
        ours = EncoderLayer(16, 4, 32, pre_ln=pre_ln).double().copy_from(ref)
        same = torch.allclose(ours(x), ref(x), rtol=0, atol=1e-12)
        name = "pre-LN" if pre_ln else "post-LN"
        print(f"{name}: equals nn.TransformerEncoderLayer(norm_first={pre_ln}):"
              f" {same}")

# %% [markdown]
# ### Encoder, decoder and the causal mask

# %%
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

# %%
import math

import torch
from torch import nn


class Seq2SeqTransformer(nn.Module):
    """Token ids in, next-token logits out. One embedding matrix serves the source,
    the target and (transposed) the output projection, as in the paper."""

    def __init__(self, vocab, d_model=512, heads=8, d_ff=2048, layers=6,
                 dropout=0.1, max_len=1024):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab, d_model)
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model),
                             persistent=False)
        self.drop = nn.Dropout(dropout)
        self.core = nn.Transformer(d_model, heads, layers, layers, d_ff, dropout,
                                   batch_first=True)

    def embed_tokens(self, ids):
        # the paper multiplies the embedding by sqrt(d_model) before adding PE
        x = self.embed(ids) * math.sqrt(self.d_model)
        return self.drop(x + self.pe[: ids.shape[1]])

    def forward(self, src, tgt, src_padding=None, tgt_padding=None):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])
        h = self.core(self.embed_tokens(src), self.embed_tokens(tgt),
                      tgt_mask=causal, tgt_is_causal=True,
                      src_key_padding_mask=src_padding,
                      tgt_key_padding_mask=tgt_padding,
                      memory_key_padding_mask=src_padding)
        return h @ self.embed.weight.T  # tied output projection


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer(vocab=100, d_model=32, heads=4, d_ff=64,
                               layers=2).eval()
    src = torch.randint(0, 100, (2, 7))
    tgt = torch.randint(0, 100, (2, 5))
    logits = model(src, tgt)
    print("logits:", tuple(logits.shape), "(batch, target positions, vocabulary)")
    print(nn.Transformer.generate_square_subsequent_mask(4))
    later = tgt.clone()
    later[:, 3:] = torch.randint(0, 100, (2, 2))  # change target tokens 3 and 4
    print("logits at target positions 0..2 unchanged:",
          torch.allclose(model(src, later)[:, :3], logits[:, :3], atol=1e-6))


# %% [markdown]
# ## Checks against the paper
#
# ### Cost per layer

# %%
def per_layer_cost(n, d):
    """Multiply-adds of one layer's core over n positions of width d.

    self-attention: Q K^T and weights @ V, n*n*d each: O(n^2 d), all at once
    recurrent:      W_xh x_t + W_hh h_(t-1), 2*d*d per step: O(n d^2), n steps
    (Both leave out the 4*n*d^2 of attention's Q, K, V, O projections and
    anything else a layer does; Table 1 compares the cores.)
    """
    if n < 1 or d < 1:
        raise ValueError(f"n and d must be positive, got n={n}, d={d}")
    return {"self-attention": {"ops": 2 * n * n * d, "sequential": 1, "path": 1},
            "recurrent": {"ops": 2 * n * d * d, "sequential": n, "path": n}}


if __name__ == "__main__":
    d = 512
    print(f"d = {d}    self-attention           recurrent")
    print("    n    mult-adds  seq. steps   mult-adds  seq. steps   ratio")
    for n in (32, 128, 256, 512, 1024, 4096):
        c = per_layer_cost(n, d)
        a, r = c["self-attention"], c["recurrent"]
        print(f"{n:5d}   {a['ops']:10.2e}  {a['sequential']:10d}   {r['ops']:9.2e}"
              f"  {r['sequential']:10d}   {a['ops'] / r['ops']:5.2f}")

# %%
import json
from pathlib import Path

if __name__ == "__main__":
    data = json.loads(Path("timings.json").read_text())  # in the current folder
    m, s = data["machine"], data["settings"]
    print(f"{m['cpu']}, {m['logical_cores']} cores, {m['threads']} thread,"
          f" torch {m['torch']}; d={s['d']}, batch {s['batch']}; {s['rounds']} runs each")
    print("ms per layer: median [fastest - slowest run]")
    names = list(data["results"])
    print("     n" + "".join(f"{name:>27}" for name in names))
    table = {name: {r["n"]: r for r in rows} for name, rows in data["results"].items()}
    for n in s["lengths"]:
        cells = []
        for name in names:
            r = table[name].get(n)
            cell = (f"{r['median'] * 1e3:.2f} [{r['min'] * 1e3:.2f} - {r['max'] * 1e3:.2f}]"
                    if r else "-")
            cells.append(f"{cell:>27}")
        print(f"{n:6d}" + "".join(cells))
    print("median time at 2n / median time at n, for n = "
          + ", ".join(str(n) for n in s["lengths"][:-1]) + ":")
    for name in names:
        rows = data["results"][name]
        growth = [b["median"] / a["median"] for a, b in zip(rows[:-1], rows[1:], strict=True)]
        print(f"{name:>16}  " + " ".join(f"{g:5.2f}" for g in growth))

# %% [markdown]
# ### Parameter count

# %%
import torch


def count_parameters(d_model, d_ff, layers, vocab):
    """Encoder-decoder of nn.Transformer plus one embedding shared by source,
    target and output projection. The head count does not change the total."""
    d = d_model
    attention = 4 * d * d + 4 * d  # W_Q, W_K, W_V, W_O and their biases
    ffn = 2 * d * d_ff + d_ff + d
    norm = 2 * d  # LayerNorm gain and bias
    encoder = layers * (attention + ffn + 2 * norm)
    # a decoder layer has self- and cross-attention
    decoder = layers * (2 * attention + ffn + 3 * norm)
    # nn.Transformer ends both encoder and decoder with a LayerNorm
    final_norms = 2 * norm
    return encoder + decoder + final_norms + vocab * d


if __name__ == "__main__":
    vocab = 37000  # "a shared source-target vocabulary of about 37000 tokens"
    configs = {"base": dict(d_model=512, heads=8, d_ff=2048, layers=6),
               "big": dict(d_model=1024, heads=16, d_ff=4096, layers=6)}
    paper = {"base": 65e6, "big": 213e6}
    for name, cfg in configs.items():
        with torch.device("meta"):  # shapes only: no memory, no time
            model = Seq2SeqTransformer(vocab, **cfg)
        counted = sum(p.numel() for p in model.parameters())
        formula = count_parameters(cfg["d_model"], cfg["d_ff"], cfg["layers"],
                                   vocab)
        gap = counted / paper[name] - 1
        print(f"{name:4}: model {counted:,}  formula {formula:,}"
              f"  paper {paper[name] / 1e6:.0f} M  ({gap:+.1%})")


# %% [markdown]
# ### The paper's results
#
# ## Training a small one end to end
#
# ### The learning-rate schedule

# %%
def noam_rate(step, d_model, warmup):
    """lrate = d_model^-0.5 * min(step^-0.5, step * warmup^-1.5)
    (Vaswani et al. 2017, section 5.3). Steps count from 1."""
    if step < 1:
        raise ValueError(f"steps count from 1, got step={step}")
    return d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)


if __name__ == "__main__":
    print(f"paper, d_model 512, warmup 4000: peak {noam_rate(4000, 512, 4000):.2e}")
    print("here,  d_model 32,  warmup 80:")
    for step in (1, 40, 79, 80, 81, 120, 180):
        print(f"  step {step:3d}: {noam_rate(step, 32, 80):.6f}")

# %% [markdown]
# ### Label smoothing

# %%
import math

import torch
from torch import nn


def smoothed_targets(target, classes, eps):
    """1 - eps on the true class, plus eps spread evenly over all classes
    (the true one included): the target distribution of label smoothing."""
    if not 0 <= eps < 1:
        raise ValueError(f"eps must be in [0, 1), got {eps}")
    q = torch.full((*target.shape, classes), eps / classes, dtype=torch.float64)
    q.scatter_add_(-1, target[..., None],
                   torch.full((*target.shape, 1), 1 - eps, dtype=torch.float64))
    return q


def smoothed_cross_entropy(logits, target, eps):
    """Cross-entropy against the smoothed targets, averaged over the batch."""
    q = smoothed_targets(target, logits.shape[-1], eps).to(logits.dtype)
    return -(q * logits.log_softmax(-1)).sum(-1).mean()


if __name__ == "__main__":
    classes, eps = 10, 0.1
    q = smoothed_targets(torch.tensor(3), classes, eps)
    print("target for class 3:", [round(p, 2) for p in q.tolist()])
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(64, classes, generator=gen, dtype=torch.float64)
    target = torch.randint(classes, (64,), generator=gen)
    ours = smoothed_cross_entropy(logits, target, eps)
    theirs = nn.CrossEntropyLoss(label_smoothing=eps)(logits, target)
    print("equals nn.CrossEntropyLoss(label_smoothing=0.1):",
          torch.allclose(ours, theirs, rtol=0, atol=1e-12))
    entropy = -(q * q.log()).sum().item()
    print(f"lowest possible loss = entropy of the target = {entropy:.3f}")
    print("logit margin of class 3   loss, eps=0   loss, eps=0.1")
    for margin in (2.0, math.log(91), 10.0, 20.0):  # ln 91: softmax = the target
        confident = torch.zeros(1, classes, dtype=torch.float64)
        confident[0, 3] = margin
        plain = smoothed_cross_entropy(confident, torch.tensor([3]), 0.0).item()
        smooth = smoothed_cross_entropy(confident, torch.tensor([3]), eps).item()
        print(f"{margin:20.2f}   {plain:11.3f}   {smooth:12.3f}")

# %% [markdown]
# ### The task and the model

# %%
import torch

VOCAB, LENGTH, BOS = 10, 8, 0  # symbols are tokens 1..9; BOS starts the decoder input


def reversal_split(n_test=500, n_drawn=30000, seed=0):
    """Distinct random sequences, split into (training, held-out): no held-out
    sequence is ever trained on."""
    gen = torch.Generator().manual_seed(seed)
    seqs = torch.randint(1, VOCAB, (n_drawn, LENGTH), generator=gen).unique(dim=0)
    seqs = seqs[torch.randperm(len(seqs), generator=gen)]
    return seqs[n_test:], seqs[:n_test]


def teacher_forcing(src):
    """(decoder input, target): the target is the source reversed; the decoder
    reads the target shifted one place right, behind BOS."""
    tgt = src.flip(1)
    return torch.cat([torch.full_like(tgt[:, :1], BOS), tgt[:, :-1]], dim=1), tgt


if __name__ == "__main__":
    train, held_out = reversal_split()
    print(f"{len(train)} training sequences, {len(held_out)} held out")
    dec_in, tgt = teacher_forcing(held_out[:1])
    print("source:       ", held_out[0].tolist())
    print("decoder input:", dec_in[0].tolist())
    print("target:       ", tgt[0].tolist())

# %%
import torch
from torch import nn


def train_reversal(steps=180, warmup=80, batch=64, d_model=32, heads=4, seed=0):
    """One encoder and one decoder layer, trained in float64 with Adam
    (beta2 = 0.98, eps = 1e-9), the paper's schedule and label smoothing 0.1."""
    train, _ = reversal_split()
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    # draw the initial weights in float64: CPUs' float32 random kernels differ in the last bit
    default_dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        model = Seq2SeqTransformer(VOCAB, d_model, heads, d_ff=2 * d_model, layers=1,
                                   dropout=0.0, max_len=LENGTH).double()
    finally:
        torch.set_default_dtype(default_dtype)
    # scaled by sqrt(d_model) in the model, the embeddings start with variance 1
    nn.init.normal_(model.embed.weight, std=d_model ** -0.5)
    opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    # LambdaLR multiplies lr=1.0 by the rate; it counts from 0, the paper from 1
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: noam_rate(i + 1, d_model, warmup))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    losses = []
    for _ in range(steps):
        src = train[torch.randint(len(train), (batch,), generator=gen)]
        dec_in, tgt = teacher_forcing(src)
        loss = loss_fn(model(src, dec_in).flatten(0, 1), tgt.flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        losses.append(loss.item())
    return model.eval(), losses


if __name__ == "__main__":
    model, losses = train_reversal()
    for step in (1, 50, 100, 150, 180):
        print(f"step {step:3d}: loss {losses[step - 1]:.3f}")

# %% [markdown]
# ### Greedy decoding and what the attention learned

# %%
import torch


@torch.no_grad()
def greedy_decode(model, src):
    """Start from BOS and append the most likely next token, one at a time.
    The model's forward applies the causal mask to the decoder input."""
    vocab, max_len = model.embed.num_embeddings, model.pe.shape[0]
    if src.ndim != 2:
        raise ValueError(f"src must be (batch, length) token ids, got shape {tuple(src.shape)}")
    if src.shape[1] > max_len:
        raise ValueError(f"source has {src.shape[1]} tokens, more than the model's"
                         f" maximum length {max_len}")
    outside = (src < 0) | (src >= vocab)
    if outside.any():
        raise ValueError(f"token {src[outside][0].item()} is outside the vocabulary"
                         f" 0..{vocab - 1}")
    out = torch.full((len(src), 1), BOS)
    for _ in range(src.shape[1]):
        next_token = model(src, out)[:, -1].argmax(-1)
        out = torch.cat([out, next_token[:, None]], dim=1)
    return out[:, 1:]


@torch.no_grad()
def cross_attention(model, src, dec_in):
    """Per-head weights (batch, heads, target, source) of the last decoder layer's
    cross-attention. nn.TransformerDecoderLayer asks its attention for no weights,
    so catch the attention's inputs and ask again."""
    mha = model.core.decoder.layers[-1].multihead_attn
    caught = {}
    hook = mha.register_forward_pre_hook(lambda module, args: caught.update(args=args))
    try:
        model(src, dec_in)
    finally:
        hook.remove()
    query, memory = caught["args"][:2]
    return mha(query, memory, memory, need_weights=True, average_attn_weights=False)[1]


if __name__ == "__main__":
    _, held_out = reversal_split()
    decoded = greedy_decode(model, held_out)
    exact = (decoded == held_out.flip(1)).all(dim=1)
    print(f"held-out sequences reversed exactly: {int(exact.sum())}/{len(held_out)}")
    print("source", held_out[0].tolist(), "-> decoded", decoded[0].tolist())
    # causal mask: one parallel pass over the decoded output repeats every choice
    dec_in = torch.cat([torch.full((len(held_out), 1), BOS), decoded[:, :-1]], dim=1)
    with torch.no_grad():
        again = model(held_out, dec_in).argmax(-1)
    print("one pass reproduces every step:", torch.equal(again, decoded))
    weights = cross_attention(model, held_out, dec_in)
    anti_diagonal = torch.eye(LENGTH, dtype=torch.bool).flip(1)  # target t <- source 7 - t
    share = weights[..., anti_diagonal].sum(-1).mean(0) / LENGTH
    print("cross-attention share on the anti-diagonal, per head:",
          [round(s, 2) for s in share.tolist()])
    for bad in (torch.ones(1, LENGTH + 1, dtype=torch.long), torch.tensor([[1, 2, 12]])):
        try:
            greedy_decode(model, bad)
        except ValueError as err:
            print("ValueError:", err)

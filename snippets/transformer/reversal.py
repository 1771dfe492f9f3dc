"""A tiny encoder-decoder Transformer trained end to end on reversing sequences: the paper's
learning-rate schedule and label smoothing, greedy decoding, and the learned cross-attention."""

# --8<-- [start:noam_schedule]
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
# --8<-- [end:noam_schedule]


# --8<-- [start:label_smoothing]
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
# --8<-- [end:label_smoothing]


# --8<-- [start:reversal_data]
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
# --8<-- [end:reversal_data]


# On the page these come from the earlier blocks that `# needs:` names.
from snippets.transformer.layers import Seq2SeqTransformer  # noqa: E402

# needs: layers.py:seq2seq_model, noam_schedule, reversal_data
# --8<-- [start:train_reversal]
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
# --8<-- [end:train_reversal]


# needs: train_reversal
# --8<-- [start:greedy_decode]
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
# --8<-- [end:greedy_decode]

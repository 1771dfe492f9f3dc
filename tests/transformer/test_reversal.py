import functools
import math

import pytest
import torch
from torch import nn

from snippets.transformer.reversal import (
    BOS,
    LENGTH,
    VOCAB,
    cross_attention,
    greedy_decode,
    noam_rate,
    reversal_split,
    smoothed_cross_entropy,
    smoothed_targets,
    teacher_forcing,
    train_reversal,
)


@functools.cache
def trained():
    """The article's run, trained once per test session (about 2 s on one core)."""
    model, losses = train_reversal()
    _, held_out = reversal_split()
    return model, losses, held_out, greedy_decode(model, held_out)


# --- the schedule ---

@pytest.mark.parametrize("step", [1, 40, 80, 81, 180, 4000])
def test_noam_rate_is_the_papers_formula(step):
    d_model, warmup = 32, 80
    warming_up = step / math.sqrt(d_model) / warmup ** 1.5
    decaying = 1 / math.sqrt(d_model * step)
    assert noam_rate(step, d_model, warmup) == pytest.approx(min(warming_up, decaying), rel=1e-15)


def test_lambdalr_gives_the_optimizer_the_rate_of_each_step_and_peaks_at_warmup():
    param = nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([param], lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: noam_rate(i + 1, 32, 80))
    used = []
    for _ in range(180):
        used.append(opt.param_groups[0]["lr"])  # the rate step number len(used) runs with
        opt.step()
        schedule.step()
    assert used == pytest.approx([noam_rate(s, 32, 80) for s in range(1, 181)], rel=1e-12)
    assert max(range(180), key=used.__getitem__) + 1 == 80
    assert used[79] == pytest.approx((32 * 80) ** -0.5)  # peak = (d_model * warmup)^-0.5
    assert max(noam_rate(s, 512, 4000) for s in range(1, 10001)) == noam_rate(4000, 512, 4000)
    assert f"{noam_rate(4000, 512, 4000):.2e}" == "6.99e-04"


def test_noam_rate_rejects_step_zero():
    with pytest.raises(ValueError, match="steps count from 1"):
        noam_rate(0, 32, 100)


# --- label smoothing ---

def test_target_distribution_is_one_minus_eps_plus_eps_over_k():
    q = smoothed_targets(torch.tensor([3, 0]), 10, 0.1)
    expected = torch.full((2, 10), 0.01, dtype=torch.float64)
    expected[0, 3] = expected[1, 0] = 0.91
    assert torch.allclose(q, expected, rtol=0, atol=1e-15)
    assert torch.allclose(q.sum(-1), torch.ones(2, dtype=torch.float64), rtol=0, atol=1e-15)


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
def test_hand_written_loss_equals_pytorch_label_smoothing(eps):
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(5, 7, 10, generator=gen, dtype=torch.float64)
    target = torch.randint(10, (5, 7), generator=gen)
    theirs = nn.CrossEntropyLoss(label_smoothing=eps)(logits.flatten(0, 1), target.flatten())
    assert torch.allclose(smoothed_cross_entropy(logits, target, eps), theirs, rtol=0, atol=1e-12)


def test_smoothed_loss_is_lowest_when_the_prediction_is_the_target_distribution():
    q = smoothed_targets(torch.tensor([3]), 10, 0.1)
    entropy = -(q * q.log()).sum()
    assert f"{entropy.item():.3f}" == "0.500"
    logits = q.log().requires_grad_()  # softmax(log q) = q: logit margin ln(0.91 / 0.01) = ln 91
    loss = smoothed_cross_entropy(logits, torch.tensor([3]), 0.1)
    loss.backward()
    assert torch.allclose(loss, entropy, rtol=0, atol=1e-12)
    assert logits.grad.abs().max() < 1e-12  # a minimum
    margins = [2.0, math.log(91), 10.0, 20.0]
    smooth, plain = [], []
    for m in margins:
        z = torch.zeros(1, 10, dtype=torch.float64)
        z[0, 3] = m
        smooth.append(smoothed_cross_entropy(z, torch.tensor([3]), 0.1).item())
        plain.append(smoothed_cross_entropy(z, torch.tensor([3]), 0.0).item())
    assert plain == sorted(plain, reverse=True) and plain[-1] < 1e-7  # eps=0: more confident, lower
    assert min(smooth) == smooth[1] and smooth[3] > smooth[2] > smooth[1]  # eps=0.1: rises again
    assert smooth[1] == pytest.approx(entropy.item(), abs=1e-12)


def test_smoothing_rejects_eps_outside_0_1():
    with pytest.raises(ValueError, match=r"eps must be in \[0, 1\)"):
        smoothed_targets(torch.tensor([1]), 10, 1.0)


# --- data ---

def test_held_out_sequences_are_never_trained_on():
    train, held_out = reversal_split()
    assert len(held_out) == 500
    seen = {tuple(s) for s in train.tolist()}
    assert len(seen) == len(train) and not any(tuple(s) in seen for s in held_out.tolist())
    assert int(train.min()) >= 1 and int(train.max()) <= VOCAB - 1  # BOS never in a source


def test_teacher_forcing_shifts_the_reversed_source_right_behind_bos():
    dec_in, tgt = teacher_forcing(torch.tensor([[1, 2, 3, 4]]))
    assert tgt.tolist() == [[4, 3, 2, 1]] and dec_in.tolist() == [[BOS, 4, 3, 2]]


# --- the trained model ---

def test_loss_falls_to_the_entropy_floor_and_never_below():
    _, losses, _, _ = trained()
    q = smoothed_targets(torch.tensor(1), VOCAB, 0.1)
    floor = -(q * q.log()).sum().item()
    assert losses[0] > 3.0 and losses[149] < 0.6
    assert min(losses) >= floor  # cross-entropy = H(q) + KL(q || p) >= H(q)
    assert losses[-1] - floor < 0.01


def test_greedy_decoding_reverses_every_held_out_sequence():
    _, _, held_out, decoded = trained()
    assert torch.equal(decoded, held_out.flip(1))  # 500/500 as printed


def test_with_the_causal_mask_one_pass_reproduces_the_greedy_steps():
    model, _, held_out, decoded = trained()
    dec_in = torch.cat([torch.full((len(held_out), 1), BOS), decoded[:, :-1]], dim=1)
    with torch.no_grad():
        logits = model(held_out, dec_in)
        for t in (0, 3):  # the logits of early positions ignore what was appended after them
            assert torch.allclose(model(held_out, dec_in[:, : t + 1])[:, t], logits[:, t],
                                  rtol=0, atol=1e-10)
    assert torch.equal(logits.argmax(-1), decoded)


def test_cross_attention_lies_on_the_anti_diagonal():
    model, _, held_out, decoded = trained()
    dec_in = torch.cat([torch.full((len(held_out), 1), BOS), decoded[:, :-1]], dim=1)
    weights = cross_attention(model, held_out, dec_in)
    assert weights.shape == (500, 4, LENGTH, LENGTH)
    assert torch.allclose(weights.sum(-1), torch.ones(500, 4, LENGTH, dtype=torch.float64))
    anti = torch.eye(LENGTH, dtype=torch.bool).flip(1)
    share = weights[..., anti].sum(-1).mean(0) / LENGTH
    assert [round(s, 2) for s in share.tolist()] == [0.93, 0.93, 0.89, 0.96]  # as printed
    assert (share > 0.85).all()
    # averaged over the heads, every target position t of every sequence looks hardest at 7 - t
    assert torch.equal(weights.mean(1).argmax(-1), torch.arange(LENGTH - 1, -1, -1).expand(500, LENGTH))


def test_the_caught_weights_are_the_ones_the_decoder_used():
    model, _, held_out, decoded = trained()
    src, dec_in = held_out[:4], torch.cat([torch.full((4, 1), BOS), decoded[:4, :-1]], dim=1)
    mha = model.core.decoder.layers[-1].multihead_attn
    seen = {}
    hook = mha.register_forward_hook(lambda m, args, out: seen.update(out=out[0]))
    try:
        weights = cross_attention(model, src, dec_in)
    finally:
        hook.remove()
    memory = model.core.encoder(model.embed_tokens(src))
    values = nn.functional.linear(memory, *(p.chunk(3)[2] for p in (mha.in_proj_weight, mha.in_proj_bias)))
    heads = values.view(4, LENGTH, 4, -1).transpose(1, 2)  # (batch, heads, source, d_k)
    mixed = (weights @ heads).transpose(1, 2).reshape(4, LENGTH, -1)
    assert torch.allclose(mha.out_proj(mixed), seen["out"], rtol=0, atol=1e-10)


@pytest.mark.parametrize(("src", "message"), [
    (torch.ones(1, LENGTH + 1, dtype=torch.long), "source has 9 tokens, more than the model's maximum length 8"),
    (torch.tensor([[1, 2, 12]]), "token 12 is outside the vocabulary 0..9"),
    (torch.tensor([[-1, 2, 3]]), "token -1 is outside the vocabulary"),
    (torch.tensor([1, 2, 3]), r"src must be \(batch, length\)"),
])
def test_bad_input_raises_a_clear_value_error(src, message):
    model, _, _, _ = trained()
    with pytest.raises(ValueError, match=message):
        greedy_decode(model, src)


def test_embeddings_start_with_variance_1_after_scaling():
    model, _ = train_reversal(steps=0)  # the model as initialised
    scaled = model.embed.weight * math.sqrt(32)
    assert 0.8 < scaled.var().item() < 1.2
    default = nn.Embedding(VOCAB, 32).weight * math.sqrt(32)  # PyTorch's N(0, 1)
    assert 25 < default.var().item() < 40


def test_without_the_checks_the_model_fails_deep_inside():
    model, _, _, _ = trained()
    bos = torch.full((1, 1), BOS)
    with pytest.raises(RuntimeError, match="size of tensor"):
        model(torch.ones(1, LENGTH + 1, dtype=torch.long), bos)
    with pytest.raises(IndexError, match="index out of range in self"):
        model(torch.tensor([[1, 2, 12]]), bos)

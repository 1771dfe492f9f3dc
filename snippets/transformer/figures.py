"""Figures of the transformer article, drawn from the article's own code and data."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from torch import nn

from snippets.transformer.attention import attention
from snippets.transformer.positional import sinusoidal_encoding
from snippets.transformer.reversal import (
    BOS,
    VOCAB,
    cross_attention,
    greedy_decode,
    noam_rate,
    reversal_split,
    smoothed_targets,
    train_reversal,
)
from snippets.transformer.rnn import input_gradient_norms, make_cell

MEASURED = Path(__file__).resolve().parent / "measured" / "timings.json"

TEXT = {
    "zh": {
        "distance": "距离 t（步）", "grad": "‖∂h_t / ∂x_1‖",
        "grad_title": "梯度随距离的变化：门控缓解消失，但不阻止爆炸",
        "rnn1": "RNN，尺度 1（消失）", "rnn_big": "RNN，尺度 2.5（爆炸）",
        "lstm1": "LSTM，尺度 1（消失）", "lstm_fb": "LSTM，尺度 1，遗忘门偏置 +3",
        "lstm_big": "LSTM，尺度 6（爆炸）", "gru_big": "GRU，尺度 6（爆炸）",
        "query": "查询位置", "key": "键位置",
        "full": "Q = K = PE：只看相对位置", "causal": "加上因果掩码",
        "position": "位置 pos", "dimension": "维度",
        "pe_title": "正弦位置编码（d_model = 64）",
        "n": "序列长度 n", "ms": "每层前向时间（ms，中位数；竖线为最快到最慢）",
        "cost_title": "实测：{cpu}，{cores} 核，用 {threads} 个线程，torch {torch}；d = {d}，batch {batch}",
        "slope1": "∝ n", "slope2": "∝ n²",
        "inputs": "源序列 token", "outputs": "目标序列 token\n（右移一位）",
        "embed": "共享嵌入 × √d_model\n+ 位置编码",
        "self_attn": "多头自注意力", "masked_attn": "带因果掩码的\n多头自注意力",
        "cross_attn": "多头交叉注意力\n（K、V 来自编码器）", "ffn": "前馈网络",
        "addnorm": "相加 + LayerNorm", "encoder": "编码器层 × N", "decoder": "解码器层 × N",
        "linear": "线性层（与嵌入共享权重）\n+ softmax", "probs": "下一个 token 的概率",
        "post": "post-LN（论文）：x = LN(x + F(x))", "pre": "pre-LN（现在常用）：x = x + F(LN(x))",
        "head": "头 {h}", "src_tok": "源序列（编码器位置）", "out_tok": "输出（解码器位置）",
        "cross_title": "训练后解码器的交叉注意力（留出序列 {seq}）",
        "step": "训练步数", "lr": "学习率", "loss": "训练损失（标签平滑 0.1）",
        "floor": "下限：平滑目标的熵 {h:.3f}", "peak": "峰值在第 {w} 步",
    },
    "en": {
        "distance": "distance t (steps)", "grad": "‖∂h_t / ∂x_1‖",
        "grad_title": "Gradient over distance: gates ease vanishing, they do not stop explosion",
        "rnn1": "RNN, scale 1 (vanishes)", "rnn_big": "RNN, scale 2.5 (explodes)",
        "lstm1": "LSTM, scale 1 (vanishes)", "lstm_fb": "LSTM, scale 1, forget bias +3",
        "lstm_big": "LSTM, scale 6 (explodes)", "gru_big": "GRU, scale 6 (explodes)",
        "query": "query position", "key": "key position",
        "full": "Q = K = PE: relative position only", "causal": "with the causal mask",
        "position": "position pos", "dimension": "dimension",
        "pe_title": "Sinusoidal positional encoding (d_model = 64)",
        "n": "sequence length n", "ms": "forward time per layer (ms; median, bar: fastest to slowest)",
        "cost_title": "Measured: {cpu}, {cores} cores, {threads} thread used, torch {torch}; d = {d}, batch {batch}",
        "slope1": "∝ n", "slope2": "∝ n²",
        "inputs": "source tokens", "outputs": "target tokens\n(shifted right)",
        "embed": "shared embedding × √d_model\n+ positional encoding",
        "self_attn": "multi-head\nself-attention", "masked_attn": "masked multi-head\nself-attention",
        "cross_attn": "multi-head cross-attention\n(K, V from the encoder)", "ffn": "feed-forward",
        "addnorm": "add + LayerNorm", "encoder": "encoder layer × N", "decoder": "decoder layer × N",
        "linear": "linear (weights shared with\nthe embedding) + softmax", "probs": "next-token probabilities",
        "post": "post-LN (paper): x = LN(x + F(x))", "pre": "pre-LN (common now): x = x + F(LN(x))",
        "head": "head {h}", "src_tok": "source (encoder position)", "out_tok": "output (decoder position)",
        "cross_title": "Decoder cross-attention after training (held-out sequence {seq})",
        "step": "training step", "lr": "learning rate", "loss": "training loss (label smoothing 0.1)",
        "floor": "floor: entropy of the smoothed target {h:.3f}", "peak": "peak at step {w}",
    },
}


def gradients_figure(lang: str):
    t = TEXT[lang]
    distances = [1, 2, 4, 7, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    cases = [("rnn1", "rnn", 1.0, 0.0, "#1e88e5", "-"), ("rnn_big", "rnn", 2.5, 0.0, "#1e88e5", "--"),
             ("lstm1", "lstm", 1.0, 0.0, "#e53935", "-"), ("lstm_fb", "lstm", 1.0, 3.0, "#43a047", "-"),
             ("lstm_big", "lstm", 6.0, 0.0, "#e53935", "--"), ("gru_big", "gru", 6.0, 0.0, "#8e24aa", "--")]
    fig, ax = plt.subplots(figsize=(8, 4))
    for key, kind, scale, bias, color, style in cases:
        norms = input_gradient_norms(make_cell(kind, scale=scale, forget_bias=bias), distances)
        ax.semilogy(distances, norms, style, color=color, marker="o", ms=3, label=t[key])
    ax.set_xlabel(t["distance"])
    ax.set_ylabel(t["grad"])
    ax.set_title(t["grad_title"], fontsize=11)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def attention_figure(lang: str):
    t = TEXT[lang]
    n, d = 32, 64
    pe = sinusoidal_encoding(n, d, dtype=torch.float64)
    _, full = attention(pe, pe, pe)
    _, causal = attention(pe, pe, pe, torch.ones(n, n, dtype=torch.bool).tril())
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.9))
    for ax, weights, title in ((axes[0], full, t["full"]), (axes[1], causal, t["causal"])):
        im = ax.imshow(weights.numpy(), cmap="viridis", vmin=0, vmax=float(full.max()))
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(t["key"])
        ax.set_ylabel(t["query"])
    # one colour scale for both; the first causal rows (few keys) go beyond it
    fig.colorbar(im, ax=axes, shrink=0.85, extend="max")
    return fig


def positional_figure(lang: str):
    t = TEXT[lang]
    pe = sinusoidal_encoding(100, 64)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    im = ax.imshow(pe.T.numpy(), cmap="RdBu_r", aspect="auto", vmin=-1, vmax=1)
    ax.set_xlabel(t["position"])
    ax.set_ylabel(t["dimension"])
    ax.set_title(t["pe_title"], fontsize=11)
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    return fig


def cost_figure(lang: str):
    t = TEXT[lang]
    data = json.loads(MEASURED.read_text())
    m, s = data["machine"], data["settings"]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    colors = {"self-attention": "#e53935", "RNN (tanh)": "#1e88e5", "LSTM": "#43a047"}
    for name, rows in data["results"].items():  # median, bars from fastest to slowest run
        ns = [r["n"] for r in rows]
        ms = [r["median"] * 1e3 for r in rows]
        spread = [[(r["median"] - r["min"]) * 1e3 for r in rows],
                  [(r["max"] - r["median"]) * 1e3 for r in rows]]
        ax.errorbar(ns, ms, yerr=spread, fmt="o-", color=colors.get(name), label=name, ms=4,
                    capsize=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ns = s["lengths"]
    attn = {r["n"]: r["median"] * 1e3 for r in data["results"]["self-attention"]}
    ref = max(attn)
    ax.loglog(ns, [attn[ref] * (n / ref) ** 2 for n in ns], ":", color="#999", label=t["slope2"])
    ax.loglog(ns, [attn[ref] * (n / ref) for n in ns], "--", color="#999", lw=0.8, label=t["slope1"])
    ax.set_xlabel(t["n"])
    ax.set_ylabel(t["ms"])
    ax.set_title(t["cost_title"].format(cpu=m["cpu"], cores=m["logical_cores"],
                                        threads=m["threads"], torch=m["torch"], d=s["d"],
                                        batch=s["batch"]), fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _sublayers(layer: nn.Module) -> list[str]:
    """The residual blocks of a PyTorch transformer layer, in order."""
    names = [name for name, _ in layer.named_children()]
    blocks = []
    if "self_attn" in names:
        blocks.append("self_attn")
    if "multihead_attn" in names:
        blocks.append("cross_attn")
    if "linear1" in names:
        blocks.append("ffn")
    norms = [n for n in names if n.startswith("norm")]
    if len(norms) != len(blocks):
        raise AssertionError(f"expected one LayerNorm per block, got {names}")
    return blocks


def _box(ax, x, y, w, h, text, color):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02",
                                fc=color, ec="#444", lw=0.8))
    ax.text(x, y, text, ha="center", va="center", fontsize=8)


def _arrow(ax, x0, y0, x1, y1):
    ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=8,
                                 color="#444", lw=0.8))


def blocks_figure(lang: str):
    t = TEXT[lang]
    enc = _sublayers(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True))
    dec = _sublayers(nn.TransformerDecoderLayer(8, 2, 16, batch_first=True))
    colors = {"self_attn": "#ffe0b2", "cross_attn": "#ffccbc", "ffn": "#c5e1a5"}
    fig, ax = plt.subplots(figsize=(8.5, 5.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0.1, 10.2)
    ax.axis("off")
    w, h, step = 2.6, 0.6, 0.85
    for x, kind, blocks, title, first in ((2.6, "enc", enc, t["encoder"], "inputs"),
                                         (7.2, "dec", dec, t["decoder"], "outputs")):
        _box(ax, x, 0.6, w, 0.75, t[first], "#eeeeee")
        _box(ax, x, 1.9, w, 0.8, t["embed"], "#e3f2fd")
        _arrow(ax, x, 0.98, x, 1.5)
        y = 3.2
        top = 3.2 + 2 * step * len(blocks) - step
        ax.add_patch(FancyBboxPatch((x - w / 2 - 0.25, y - 0.55), w + 0.5, top - y + 1.05,
                                    boxstyle="round,pad=0.02", fc="none", ec="#3f51b5",
                                    lw=1.2, ls="--"))
        ax.text(x - w / 2 - 0.35, (y + top) / 2, title, rotation=90, ha="right", va="center",
                fontsize=9, color="#3f51b5")
        _arrow(ax, x, 2.3, x, y - h / 2)
        for block in blocks:
            label = t["masked_attn"] if (kind == "dec" and block == "self_attn") else t[block]
            _box(ax, x, y, w, h + 0.1, label, colors[block])
            _arrow(ax, x, y + h / 2 + 0.05, x, y + step - h / 2)
            _box(ax, x, y + step, w, h - 0.15, t["addnorm"], "#f5f5f5")
            # the residual connection, drawn on the right of the block
            ax.annotate("", xy=(x + w / 2, y + step), xytext=(x + w / 2, y - h / 2 - 0.1),
                        arrowprops={"arrowstyle": "-|>", "connectionstyle": "arc3,rad=-0.5",
                                    "color": "#888", "lw": 0.8})
            if block != blocks[-1]:
                _arrow(ax, x, y + step + (h - 0.15) / 2, x, y + 2 * step - h / 2)
            y += 2 * step
        if kind == "enc":
            # the encoder's output (memory) feeds every decoder cross-attention
            cross_y = 3.2 + 2 * step * dec.index("cross_attn")
            y_out = top + (h - 0.15) / 2
            ax.plot([x, x, 4.9, 4.9], [y_out, top + 0.6, top + 0.6, cross_y],
                    color="#3f51b5", lw=1)
            _arrow(ax, 4.9, cross_y, 7.2 - w / 2, cross_y)
        else:
            _box(ax, x, top + 1.0, w + 0.4, 0.75, t["linear"], "#e1bee7")
            _arrow(ax, x, top + (h - 0.15) / 2, x, top + 0.62)
            _box(ax, x, top + 2.0, w, 0.5, t["probs"], "#eeeeee")
            _arrow(ax, x, top + 1.38, x, top + 1.75)
    ax.text(0.1, 9.9, t["post"], fontsize=8, color="#333")
    ax.text(0.1, 9.5, t["pre"], fontsize=8, color="#333")
    fig.tight_layout()
    return fig


@functools.cache
def _reversal_run():
    """The article's training run (reversal.py:train_reversal), once for both languages."""
    model, losses = train_reversal()
    _, held_out = reversal_split()
    src = held_out[:1]
    decoded = greedy_decode(model, src)
    dec_in = torch.cat([torch.full((1, 1), BOS), decoded[:, :-1]], dim=1)
    return losses, src[0], decoded[0], cross_attention(model, src, dec_in)[0]


def reversal_figure(lang: str):
    t = TEXT[lang]
    losses, src, decoded, weights = _reversal_run()
    heads, n = weights.shape[0], len(src)
    fig = plt.figure(figsize=(9, 5.8))
    grid = fig.add_gridspec(2, heads, height_ratios=[1, 1], hspace=0.4, wspace=0.3,
                            top=0.9, bottom=0.09, left=0.08, right=0.92)
    for h in range(heads):
        ax = fig.add_subplot(grid[0, h])
        ax.imshow(weights[h].numpy(), cmap="viridis", vmin=0, vmax=1)
        ax.set_title(t["head"].format(h=h + 1), fontsize=9)
        ax.set_xticks(range(n), [str(v) for v in src.tolist()], fontsize=7)
        ax.set_yticks(range(n), [str(v) for v in decoded.tolist()], fontsize=7)
        ax.set_xlabel(t["src_tok"], fontsize=8)
        if h == 0:
            ax.set_ylabel(t["out_tok"], fontsize=8)
    fig.text(0.5, 0.96, t["cross_title"].format(seq=src.tolist()), ha="center", fontsize=10)
    steps = range(1, len(losses) + 1)
    warmup = max(steps, key=lambda s: noam_rate(s, 32, 80))
    ax = fig.add_subplot(grid[1, :])
    ax.plot(steps, [noam_rate(s, 32, 80) for s in steps], color="#1e88e5")
    ax.axvline(warmup, color="#1e88e5", lw=0.8, ls=":")
    ax.text(warmup + 2, noam_rate(warmup, 32, 80) * 0.97, t["peak"].format(w=warmup),
            color="#1e88e5", fontsize=8, va="top")
    ax.set_xlabel(t["step"])
    ax.set_ylabel(t["lr"], color="#1e88e5")
    loss_ax = ax.twinx()
    loss_ax.plot(steps, losses, color="#e53935", lw=1)
    q = smoothed_targets(torch.tensor(1), VOCAB, 0.1)
    floor = -(q * q.log()).sum().item()
    loss_ax.axhline(floor, color="#e53935", lw=0.8, ls="--")
    loss_ax.text(len(losses), floor + 0.15, t["floor"].format(h=floor), color="#e53935",
                 fontsize=8, ha="right")
    loss_ax.set_ylabel(t["loss"], color="#e53935")
    loss_ax.set_ylim(0, None)
    return fig


FIGURES = {"gradients": gradients_figure, "attention": attention_figure,
           "positional": positional_figure, "cost": cost_figure, "blocks": blocks_figure,
           "reversal": reversal_figure}

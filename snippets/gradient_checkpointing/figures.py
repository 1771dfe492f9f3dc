"""Figures of the gradient-checkpointing article, drawn from the snippets' own numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from snippets.gradient_checkpointing.budget import activation_bytes, training_state_bytes
from snippets.gradient_checkpointing.measure import per_round, quartiles
from snippets.gradient_checkpointing.schedule import simulate
from snippets.gradient_checkpointing.segments import measure_once, predicted_saved
from snippets.gradient_checkpointing.stack import SEQS, stack_memory

MEASURED = Path(__file__).resolve().parent / "measured" / "timings.json"
COLORS = {"forward": "#3f51b5", "recompute": "#ff9800", "backward": "#43a047"}

TEXT = {
    "zh": {
        "segments": "checkpoint_sequential 的段数 s", "saved": "为反向保存的张量数",
        "measured": "实测（saved_tensors_hooks）", "model": "(s−1) + 2n/s（s 整除 n 时精确）",
        "extra": "额外的块前向次数", "best": "最优 s = √(2n) = 6",
        "mem_title": "显存：18 个 Linear+SiLU 块", "re_title": "重算：多做的前向",
        "forward": "前向", "recompute": "重算", "backward": "反向",
        "keep": "全部保存", "recompute_all": "全部重算", "sqrt": "每 √n = {k} 层一个检查点（n = {n}）",
        "caption": "{title}：{forwards} 次前向计算，最多保存 {held} 个输出",
        "time": "时间（前向 = 1，反向 = 2）", "layer": "层", "held": "保存的输出",
        "time_rel": "耗时 / 不做检查点", "extra_fwd": "多花的时间（以一次前向为单位）",
        "pred": "预测：重算块数 / n", "meas": "实测（中位数，四分位数）",
        "seq": "序列长度（batch = 1）", "gb": "GB", "state": "权重 + 梯度 + Adam 状态",
        "acts_none": "激活（不重算，普通注意力）", "acts_flash": "激活（不重算，flash 注意力）",
        "acts_full": "激活（全部重算）", "gpu": "一张 80 GB 的 GPU",
        "saved_mib": "为反向保存的字节（MiB）", "every": "每块", "rounds": "{} 轮的中位数与四分位数",
        "stack_saved": "为反向保存（MiB）", "stack_peak": "前向 + 反向的峰值（MiB）",
        "stack_seq": "序列长度", "eager": "普通注意力", "flash": "flash 注意力", "ckpt": "，每层检查点",
        "stack_title": "4 层 GPT，float32，batch 2，hidden 64",
    },
    "en": {
        "segments": "segments s of checkpoint_sequential", "saved": "tensors saved for backward",
        "measured": "measured (saved_tensors_hooks)", "model": "(s−1) + 2n/s (exact when s divides n)",
        "extra": "extra block forwards", "best": "best s = √(2n) = 6",
        "mem_title": "Memory: 18 Linear+SiLU blocks", "re_title": "Recompute: extra forwards",
        "forward": "forward", "recompute": "recompute", "backward": "backward",
        "keep": "keep everything", "recompute_all": "recompute everything",
        "sqrt": "checkpoint every √n = {k} layers (n = {n})",
        "caption": "{title}: {forwards} forward computations, at most {held} outputs held",
        "time": "time (forward = 1, backward = 2)", "layer": "layer", "held": "outputs held",
        "time_rel": "time / no checkpointing", "extra_fwd": "extra time (in forward passes)",
        "pred": "predicted: recomputed blocks / n", "meas": "measured (median, quartiles)",
        "seq": "sequence length (batch = 1)", "gb": "GB", "state": "weights + grads + Adam state",
        "acts_none": "activations (no recompute, eager attention)",
        "acts_flash": "activations (no recompute, flash attention)", "acts_full": "activations (full recompute)",
        "gpu": "one 80 GB GPU", "saved_mib": "bytes saved for backward (MiB)", "every": "every",
        "rounds": "median, quartiles of {} rounds",
        "stack_saved": "saved for backward (MiB)", "stack_peak": "peak over forward + backward (MiB)",
        "stack_seq": "sequence length", "eager": "eager attention", "flash": "flash attention",
        "ckpt": ", each layer checkpointed", "stack_title": "4 GPT layers, float32, batch 2, hidden 64",
    },
}


def segments_figure(lang: str):
    t = TEXT[lang]
    n = 18
    unit = 512 * 16 * 4
    rows = {s: measure_once(s, n, peak=False) for s in range(1, n + 1)}
    s_values = list(rows)
    fig, (mem, re) = plt.subplots(1, 2, figsize=(9, 3.4))
    mem.bar(s_values, [rows[s]["saved"] / unit for s in s_values], color="#9fa8da", label=t["measured"])
    mem.plot(s_values, [predicted_saved(s, n) for s in s_values], "k.", ms=4)
    xs = [1 + i / 10 for i in range(10 * (n - 1) + 1)]
    mem.plot(xs, [(x - 1) + 2 * n / x for x in xs], color="#c62828", lw=1.2, label=t["model"])
    best = min(rows, key=lambda s: rows[s]["saved"])
    mem.annotate(t["best"], xy=(best, rows[best]["saved"] / unit), xytext=(best + 1.5, 4),
                 arrowprops={"arrowstyle": "->"})
    mem.set_xlabel(t["segments"])
    mem.set_ylabel(t["saved"])
    mem.set_title(t["mem_title"], fontsize=11)
    mem.legend(fontsize=8, loc="upper right")
    re.bar(s_values, [rows[s]["extra_forwards"] for s in s_values], color="#ffcc80")
    re.axhline(n, color="#888", lw=0.8, ls="--")
    re.set_xlabel(t["segments"])
    re.set_ylabel(t["extra"])
    re.set_title(t["re_title"], fontsize=11)
    for ax in (mem, re):
        ax.set_xticks(range(1, n + 1, 1))
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    return fig


def timeline_figure(lang: str):
    t = TEXT[lang]
    n = 9
    k = math.isqrt(n)
    cases = [(t["keep"], "keep", None), (t["recompute_all"], "recompute", None),
             (t["sqrt"].format(k=k, n=n), "segments", k)]
    duration = {"forward": 1, "recompute": 1, "backward": 2}
    schedules = [simulate(n, strategy, every) for _, strategy, every in cases]
    total = max(sum(duration[kind] for kind, _ in steps) for steps, _ in schedules)
    fig, axes = plt.subplots(6, 1, figsize=(9, 7.6), sharex=True,
                             gridspec_kw={"height_ratios": [2.2, 1.2] * 3})
    for c, ((title, _, _), (steps, held)) in enumerate(zip(cases, schedules, strict=True)):
        lanes, mem = axes[2 * c], axes[2 * c + 1]
        now, xs, ys = 0, [0], [1]
        for (kind, layer), count in zip(steps, held, strict=True):
            lanes.broken_barh([(now, duration[kind])], (layer - 0.4, 0.8), color=COLORS[kind])
            now += duration[kind]
            xs.append(now)
            ys.append(count)
        mem.step(xs, ys, where="pre", color="#555")
        mem.fill_between(xs, ys, step="pre", color="#bbb", alpha=0.6)
        mem.set_ylim(0, n + 2)
        mem.set_yticks([0, 3, n + 1])
        mem.tick_params(axis="y", labelsize=7)
        mem.set_ylabel(t["held"], fontsize=8)
        lanes.set_ylim(0.3, n + 0.7)
        lanes.set_yticks([1, n])
        lanes.set_ylabel(t["layer"], fontsize=8)
        forwards = sum(kind != "backward" for kind, _ in steps)
        lanes.set_title(t["caption"].format(title=title, forwards=forwards, held=max(held)),
                        fontsize=10, loc="left")
    axes[-1].set_xlim(0, total)
    axes[-1].set_xlabel(t["time"])
    axes[0].legend(handles=[Patch(color=COLORS[k], label=t[k]) for k in COLORS],
                   ncol=3, fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def overhead_figure(lang: str):
    t = TEXT[lang]
    data = json.loads(MEASURED.read_text())
    m, c = data["machine"], data["config"]
    rows = data["rows"]
    extra = {s: quartiles(e) for s, (_, e) in per_round(data).items()}
    labels = [t["every"] if r["segments"] is None else str(r["segments"]) for r in rows]
    xs = [i + (1 if r["segments"] is None else 0) for i, r in enumerate(rows)]  # a gap before "every"
    fig, (mem, tm) = plt.subplots(1, 2, figsize=(9, 3.4))
    mem.bar(xs, [r["saved_bytes"] / 2**20 for r in rows], color="#9fa8da")
    mem.set_ylabel("MiB")
    mem.set_title(t["saved_mib"], fontsize=11)
    q = [extra[r["segments"]] for r in rows]
    tm.errorbar(xs, [e[1] for e in q], yerr=[[e[1] - e[0] for e in q], [e[2] - e[1] for e in q]],
                fmt="o-", color="#c62828", ms=4, capsize=2, lw=1, label=t["meas"])
    tm.plot(xs, [r["extra_forwards"] / c["n_blocks"] for r in rows], "s--", color="#555", ms=3,
            label=t["pred"])
    tm.set_ylabel(t["extra_fwd"])
    tm.legend(fontsize=8)
    for ax in (mem, tm):
        ax.set_xticks(xs, labels, fontsize=7)
        ax.set_xlabel(t["segments"])
    fig.suptitle(f"{m['cpu']} ({m['logical_cores']} cores, {m['threads']} thread used), torch {m['torch']}: "
                 f"{c['n_blocks']} × Linear({c['width']})+SiLU, batch {c['batch']}, "
                 f"{t['rounds'].format(c['rounds'])}", fontsize=8)
    fig.tight_layout()
    return fig


def budget_figure(lang: str):
    t = TEXT[lang]
    shape = {"hidden": 4096, "heads": 32, "layers": 32}
    seqs = [512, 1024, 2048, 4096, 8192]
    state = training_state_bytes(7e9) / 1e9
    bars = [(activation_bytes(s, 1, **shape) / 1e9 for s in seqs), "#ef9a9a", t["acts_none"]], \
        [(activation_bytes(s, 1, **shape, attention="flash") / 1e9 for s in seqs), "#e57373",
         t["acts_flash"]], \
        [(activation_bytes(s, 1, **shape, recompute="full") / 1e9 for s in seqs), "#c62828",
         t["acts_full"]]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    xs = range(len(seqs))
    w = 0.27
    tallest = 0.0
    for i, (values, color, label) in enumerate(bars):
        values = list(values)
        pos = [x + (i - 1) * w for x in xs]
        ax.bar(pos, [state] * len(seqs), w, color="#90a4ae", label=t["state"] if i == 0 else None)
        ax.bar(pos, values, w, bottom=[state] * len(seqs), color=color, label=label)
        for x, v in zip(pos, values, strict=True):
            ax.text(x, state + v + 6, f"{state + v:.0f}", ha="center", fontsize=7)
        tallest = max(tallest, state + max(values))
    ax.axhline(80, color="#333", ls="--", lw=1, label=t["gpu"])
    ax.set_ylim(0, 1.12 * tallest)
    ax.set_xticks(list(xs), [str(s) for s in seqs])
    ax.set_xlabel(t["seq"])
    ax.set_ylabel(t["gb"])
    ax.set_title("7B, Adam, bf16", fontsize=11)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def stack_figure(lang: str):
    t = TEXT[lang]
    fig, (saved_ax, peak_ax) = plt.subplots(1, 2, figsize=(8, 3.4), sharex=True)
    styles = {("eager", False): ("#c62828", "-"), ("eager", True): ("#c62828", "--"),
              ("flash", False): ("#1565c0", "-"), ("flash", True): ("#1565c0", "--")}
    for (attention, checkpointed), (color, dash) in styles.items():
        runs = [stack_memory(attention, checkpointed, s) for s in SEQS]
        label = t[attention] + (t["ckpt"] if checkpointed else "")
        for ax, values in ((saved_ax, [r[0] for r in runs]), (peak_ax, [r[1] for r in runs])):
            ax.plot(SEQS, [v / 2 ** 20 for v in values], dash, color=color, marker="o", ms=3, label=label)
    for ax, ylabel in ((saved_ax, t["stack_saved"]), (peak_ax, t["stack_peak"])):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
        ax.set_xticks(list(SEQS), [str(s) for s in SEQS])
        ax.set_xlabel(t["stack_seq"])
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3, which="both")
    saved_ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(t["stack_title"], fontsize=10)
    fig.tight_layout()
    return fig


FIGURES = {"segments": segments_figure, "timeline": timeline_figure,
           "overhead": overhead_figure, "budget": budget_figure, "stack": stack_figure}

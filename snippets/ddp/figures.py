"""Figures of the ddp article, drawn from the code they illustrate."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyBboxPatch

from snippets.ddp.ring import ring_cost, ring_schedule, simulate_ring

TEXT = {
    "zh": {
        "start": "初始",
        "step": "第 {k} 步 · {phase}",
        "note": ("N = {n} 个进程，数据切成 {n} 块。\n"
                 "格子里是已累加进来的进程编号；\n"
                 "粗框：这一步刚收到的块。\n\n"
                 "共 2(N−1) = {steps} 步，\n"
                 "每个进程发送 2(N−1)/N = {ratio:.2f} 倍\n"
                 "自己数据量的字节。"),
        "rank": "进程", "chunk": "块",
        "dp_title": "DataParallel：一个进程，每块 GPU 一个线程",
        "ddp_title": "DistributedDataParallel：每块 GPU 一个进程",
        "process": "进程", "thread": "线程",
        "dp_steps": ["① 整批数据在 GPU 0 上切开，分发到各卡",
                     "② 每一步都把模型从 GPU 0 复制到各卡",
                     "③ 各线程前向，争用同一个 GIL",
                     "④ 输出收集回 GPU 0 算损失",
                     "⑤ 梯度汇总到 GPU 0，只在 GPU 0 上更新"],
        "ddp_steps": ["① 各进程只读自己那份数据",
                      "② 模型只在构造时从 rank 0 广播一次",
                      "③ 反向传播时按桶对梯度求平均",
                      "④ 各自 optimizer.step()，权重相同"],
        "allreduce": "梯度 all-reduce（由 NCCL / gloo 完成）",
        "gpu": "GPU {i}", "model": "模型副本", "shard": "1/{n} 批数据",
    },
    "en": {
        "start": "start",
        "step": "step {k} · {phase}",
        "note": ("N = {n} ranks, the data cut into {n} chunks.\n"
                 "A cell lists the ranks summed into it;\n"
                 "thick border: the chunk just received.\n\n"
                 "2(N−1) = {steps} steps in all;\n"
                 "each rank sends 2(N−1)/N = {ratio:.2f} times\n"
                 "the size of its data."),
        "rank": "rank", "chunk": "chunk",
        "dp_title": "DataParallel: one process, one thread per GPU",
        "ddp_title": "DistributedDataParallel: one process per GPU",
        "process": "process", "thread": "thread",
        "dp_steps": ["① the batch is split on GPU 0 and scattered",
                     "② the model is copied from GPU 0 at every step",
                     "③ threads run the forward, sharing one GIL",
                     "④ outputs are gathered on GPU 0 for the loss",
                     "⑤ gradients are summed on GPU 0, which updates"],
        "ddp_steps": ["① each process reads its own shard of the data",
                      "② the model is broadcast from rank 0 once",
                      "③ buckets of gradients are averaged during backward",
                      "④ each runs optimizer.step(): same weights"],
        "allreduce": "all-reduce of the gradients (done by NCCL / gloo)",
        "gpu": "GPU {i}", "model": "model copy", "shard": "1/{n} of the batch",
    },
}

MEASURED = Path(__file__).resolve().parent / "measured"

BUCKET_TEXT = {
    "zh": {"title": "反向传播与各桶 all-reduce 的重叠（rank 0 实测，{n} 次中耗时居中的一次）",
           "bucket": "桶 {b}（第 {layers} 层）", "ready": "该层全部梯度就绪",
           "reduce": "all-reduce 进行中", "end": "backward() 返回", "x": "从 backward() 开始计的毫秒数",
           "machine": "{cpus} 核 CPU，gloo 经回环网络，2 个进程；PyTorch {torch}"},
    "en": {"title": "Backward overlapping each bucket's all-reduce (rank 0, measured; the median of {n} passes)",
           "bucket": "bucket {b} (layer {layers})", "ready": "all gradients of the layer ready",
           "reduce": "all-reduce in flight", "end": "backward() returns", "x": "milliseconds since backward() began",
           "machine": "{cpus}-core CPU, gloo over loopback, 2 processes; PyTorch {torch}"},
}

BLUES = ["#ffffff", "#dbe9f6", "#9ecae1", "#4a98c9", "#1764ab"]


def _contributors(value, world):
    """Rank r contributed 10**r: the decimal digits of a sum name its ranks."""
    digits = f"{int(round(value)):0{world}d}"[::-1]
    return [r for r in range(world) if digits[r] == "1"]


def _ring_panel(ax, data, world, title, received=None):
    for rank in range(world):
        for chunk in range(world):
            ranks = _contributors(data[rank][chunk].item(), world)
            y = world - 1 - rank
            strong = received is not None and received[rank] == chunk
            ax.add_patch(plt.Rectangle((chunk, y), 1, 1, facecolor=BLUES[len(ranks)],
                                       edgecolor="#222" if strong else "#999",
                                       linewidth=2.4 if strong else 0.6))
            ax.text(chunk + 0.5, y + 0.5, "".join(map(str, ranks)), ha="center", va="center",
                    fontsize=8, color="white" if len(ranks) >= 3 else "#111")
    ax.set_xlim(-0.05, world + 0.05)
    ax.set_ylim(-0.05, world + 0.05)
    ax.set_xticks([c + 0.5 for c in range(world)], [f"c{c}" for c in range(world)], fontsize=8)
    ax.set_yticks([world - 0.5 - r for r in range(world)], [f"r{r}" for r in range(world)], fontsize=8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)


def ring_allreduce_steps(lang: str):
    t = TEXT[lang]
    world = 4
    start = [torch.full((world,), 10.0**r, dtype=torch.float64) for r in range(world)]
    _, frames = simulate_ring(start)
    fig, axes = plt.subplots(2, 4, figsize=(9, 5))
    _ring_panel(axes[0][0], start, world, t["start"])
    for k, (phase, _, data) in enumerate(frames):
        received = [ring_schedule(r, world)[k][3] for r in range(world)]
        ax = axes[(k + 1) // 4][(k + 1) % 4]
        _ring_panel(ax, data, world, t["step"].format(k=k + 1, phase=phase), received)
    note = axes[1][3]
    note.axis("off")
    steps, sent = ring_cost(world, 1.0)
    note.text(0, 0.5, t["note"].format(n=world, steps=steps, ratio=sent), fontsize=8.5, va="center")
    fig.tight_layout()
    return fig


def _box(ax, x, y, w, h, text, fc, ec="#555", fontsize=8, ):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=fc, edgecolor=ec, linewidth=1))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=fontsize)


def dp_vs_ddp(lang: str):
    t = TEXT[lang]
    n = 4
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.8))
    for ax in (left, right):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        ax.axis("off")
    # DataParallel: one process box, n threads, everything meets on GPU 0.
    left.set_title(t["dp_title"], fontsize=10)
    _box(left, 0.2, 4.2, 9.6, 5.4, "", "#fff5e6", ec="#e08a00")
    left.text(0.45, 9.2, f"{t['process']} 0 · Python + GIL", fontsize=8, color="#a35f00")
    for i in range(n):
        x = 0.6 + i * 2.3
        _box(left, x, 6.6, 1.9, 1.1, t["thread"] + f" {i}", "#ffe0b2", fontsize=7.5)
        _box(left, x, 4.8, 1.9, 1.3, t["gpu"].format(i=i) + "\n" + t["model"], "#e3f2fd", fontsize=7.5)
        left.plot([x + 0.95, x + 0.95], [6.1, 6.6], color="#e08a00", lw=1)
        if i:
            left.annotate("", xy=(x + 0.3, 6.1), xytext=(0.6 + 1.6, 6.1),
                          arrowprops={"arrowstyle": "->", "color": "#e08a00", "lw": 1,
                                      "connectionstyle": "arc3,rad=-0.25"})
    for j, line in enumerate(t["dp_steps"]):
        left.text(0.1, 3.6 - j * 0.8, line, fontsize=8.5)
    # DDP: n independent processes, gradients meet in an all-reduce.
    right.set_title(t["ddp_title"], fontsize=10)
    for i in range(n):
        x = 0.2 + i * 2.45
        _box(right, x, 5.4, 2.2, 4.2, "", "#eef7ee", ec="#2e7d32")
        right.text(x + 1.1, 9.2, f"{t['process']} {i}\nrank {i}", ha="center", va="top", fontsize=7.5,
                   color="#1b5e20")
        _box(right, x + 0.15, 6.9, 1.9, 1.3, t["gpu"].format(i=i) + "\n" + t["model"], "#e3f2fd",
             fontsize=7.5)
        _box(right, x + 0.15, 5.6, 1.9, 0.9, t["shard"].format(n=n), "#ffffff", fontsize=7.5)
    _box(right, 0.2, 4.3, 9.55, 0.65, t["allreduce"], "#c8e6c9", ec="#2e7d32",
         fontsize=8)
    for i in range(n):
        x = 0.2 + i * 2.45 + 1.1
        right.annotate("", xy=(x, 4.95), xytext=(x, 5.4),
                       arrowprops={"arrowstyle": "<->", "color": "#2e7d32", "lw": 1})
    for j, line in enumerate(t["ddp_steps"]):
        right.text(0.1, 3.6 - j * 0.8, line, fontsize=8.5)
    fig.tight_layout()
    return fig


def bucket_overlap(lang: str):
    t = BUCKET_TEXT[lang]
    measured = json.loads((MEASURED / "buckets.json").read_text())
    passes = sorted(measured["passes"][0], key=lambda events: events[-1][2])
    events = passes[len(passes) // 2]  # rank 0's pass of median length
    ready = {}  # a layer is ready when the last of its parameters' gradients is
    for e in events:
        if e[0] == "grad":
            ready[e[1]] = max(ready.get(e[1], 0.0), e[2])
    spans = {}
    for kind, bucket, ms, *rest in events:
        if kind in ("start", "done"):
            spans.setdefault(bucket, {"layers": rest[0]})[kind] = ms
    end = next(e[2] for e in events if e[0] == "end")
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(spans) + 1.6))
    for row, (_, span) in enumerate(sorted(spans.items())):
        y = len(spans) - 1 - row
        ax.barh(y, span["done"] - span["start"], left=span["start"], height=0.5, color="#4a98c9",
                label=t["reduce"] if row == 0 else None)
        for layer in span["layers"]:
            ax.plot(ready[layer], y, marker="v", color="#e08a00", markersize=8,
                    label=t["ready"] if row == 0 else None)
    ax.axvline(end, color="#444", linestyle="--", linewidth=1, label=t["end"])
    ax.set_yticks(range(len(spans)), [t["bucket"].format(b=b, layers=",".join(map(str, s["layers"])))
                                      for b, s in sorted(spans.items(), reverse=True)], fontsize=8)
    ax.set_xlabel(t["x"] + "\n" + t["machine"].format(**measured["machine"]), fontsize=8)
    ax.set_xlim(0, end * 1.05)
    ax.set_title(t["title"].format(n=len(passes)), fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


FIGURES = {"ring-allreduce": ring_allreduce_steps, "dp-vs-ddp": dp_vs_ddp, "bucket-overlap": bucket_overlap}

"""Figures of the spp article, drawn from the snippets' own functions and tensors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyBboxPatch, Rectangle

from snippets.spp.paper_bins import adaptive_windows, paper_windows, sweep
from snippets.spp.pyramid import SpatialPyramidPooling
from snippets.spp.window_map import map_window, receptive_fields, zf_like
from snippets.spp.yolo_block import SPPF, YoloSPP

TEXT = {
    "zh": {
        "level": "{n}×{n} 网格：{k} 个 bin", "map": "10×10 特征图（180 输入的 conv5）",
        "paper": "论文公式：窗口 ⌈a/n⌉，步长 ⌊a/n⌋", "adaptive": "自适应分箱 [⌊ia/n⌋, ⌈(i+1)a/n⌉)",
        "case1": "a = 10, n = 6", "case2": "a = 14, n = 4", "bins": "{k} 个窗口",
        "dropped": "第 {i} 列没被覆盖", "sweep": "a = 4…64 时论文公式的结果",
        "small": "a < n（步长为 0）", "count": "bin 数不对", "tail": "bin 数对，丢了末尾",
        "same": "与自适应池化相同", "sizes": "尺寸个数", "lvl": "金字塔层 n",
        "sppnet": "SPP-net（2014）\n任意尺寸 → 定长向量", "yolo": "YOLO 的 SPP 块\n尺寸不变，通道 ×4",
        "sppf": "SPPF（YOLOv5）\n三个 5×5 串联，结果逐位相同",
        "pool": "{n}×{n} 最大池化", "flat": "展平并拼接", "fc": "全连接层",
        "mp": "{k}×{k}\n最大池化", "cat": "按通道拼接", "id": "恒等",
        "note": "步长 1，填充 ⌊k/2⌋",
        "next": "后续卷积", "p5": "5×5 池化",
        "image": "96×96 图像与窗口 {w}", "grid": "{m}×{m} 特征图：映射到的单元 {c}",
        "centre": "感受野中心（每 {s} 像素）", "picked": "中心严格在窗口内：选中",
        "edge": "中心落在窗口边上：+1 去掉", "rf": "单元 ({i}, {j}) 的感受野（{r}×{r}）",
        "cells": "选中的单元", "extra": "用 ⌈x/S⌉、⌊x/S⌋ 会多出的单元",
    },
    "en": {
        "level": "{n}×{n} grid: {k} bins", "map": "10×10 feature map (conv5 of a 180 input)",
        "paper": "paper's recipe: window ⌈a/n⌉, stride ⌊a/n⌋", "adaptive": "adaptive bins [⌊ia/n⌋, ⌈(i+1)a/n⌉)",
        "case1": "a = 10, n = 6", "case2": "a = 14, n = 4", "bins": "{k} windows",
        "dropped": "column {i} never pooled", "sweep": "the paper's recipe for a = 4…64",
        "small": "a < n (stride 0)", "count": "wrong number of bins", "tail": "n bins, tail dropped",
        "same": "same as adaptive pooling", "sizes": "number of sizes", "lvl": "pyramid level n",
        "sppnet": "SPP-net (2014)\nany size → fixed-length vector", "yolo": "YOLO SPP block\nsize kept, channels ×4",
        "sppf": "SPPF (YOLOv5)\nthree 5×5 pools in a row: bitwise the same",
        "pool": "{n}×{n} max pool", "flat": "flatten, concatenate", "fc": "fully connected",
        "mp": "{k}×{k}\nmax pool", "cat": "concatenate channels", "id": "identity",
        "note": "stride 1, padding ⌊k/2⌋",
        "next": "next conv", "p5": "5×5 pool",
        "image": "96×96 image, window {w}", "grid": "{m}×{m} feature map: cells {c}",
        "centre": "receptive-field centre (every {s} px)", "picked": "centre strictly inside: picked",
        "edge": "centre on the window's edge: dropped by the +1", "rf": "receptive field of cell ({i}, {j}), {r}×{r}",
        "cells": "mapped cells", "extra": "cells ⌈x/S⌉, ⌊x/S⌋ would add",
    },
}
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def bins(lang: str):
    """The three pyramid levels over a 10x10 map; a dot marks where each bin's max sits."""
    t = TEXT[lang]
    a = 10
    fmap = torch.randn(a, a, generator=torch.Generator().manual_seed(3))
    fig, axes = plt.subplots(1, 3, figsize=(7.6, 3.0))
    for ax, n in zip(axes, SpatialPyramidPooling((4, 2, 1)).levels, strict=True):
        ax.imshow(fmap.numpy(), cmap="Greys", vmin=-3, vmax=3)
        for (r0, r1), (c0, c1) in ((r, c) for r in adaptive_windows(a, n) for c in adaptive_windows(a, n)):
            color = COLORS[(r0 * 7 + c0) % len(COLORS)]
            ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, fill=True, alpha=0.18,
                                   fc=color, ec=color, lw=1.6))
            block = fmap[r0:r1, c0:c1]
            idx = int(block.argmax())
            ax.plot(c0 + idx % (c1 - c0), r0 + idx // (c1 - c0), "o", color=color, ms=5)
        ax.set_title(t["level"].format(n=n, k=n * n), fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(t["map"], fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


def _strip(ax, windows, a, y, color):
    """Draw windows [start, end) as stacked bars over cells 0..a-1, starting at height y."""
    covered = set()
    for i, (s, e) in enumerate(windows):
        ax.add_patch(Rectangle((s, y - 0.32 * (i % 3)), e - s, 0.26, fc=color, alpha=0.55, ec=color))
        covered.update(range(s, e))
    return [c for c in range(a) if c not in covered]


def paper_windows_figure(lang: str):
    t = TEXT[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.6), gridspec_kw={"width_ratios": [1.25, 1]})
    rows = [(10, 6, 3.6), (14, 4, 0.8)]
    for a, n, y in rows:
        paper = paper_windows(a, n)
        missed = _strip(left, paper, a, y, COLORS[1])
        _strip(left, adaptive_windows(a, n), a, y - 1.25, COLORS[0])
        left.text(-0.3, y + 0.45, t["case1" if a == 10 else "case2"], fontsize=10, ha="left")
        left.text(a + 0.3, y - 0.2, t["bins"].format(k=len(paper)), fontsize=9, color=COLORS[1])
        left.text(a + 0.3, y - 1.45, t["bins"].format(k=n), fontsize=9, color=COLORS[0])
        for c in missed:
            left.add_patch(Rectangle((c, y - 0.65), 1, 1.0, fill=False, ec="#444", ls="--"))
            left.text(c + 1, y + 0.5, t["dropped"].format(i=c), fontsize=8, ha="right")
        for c in range(a + 1):
            left.plot([c, c], [y - 2.0, y + 0.3], color="#bbb", lw=0.5)
    left.add_patch(Rectangle((0, -1.6), 0.8, 0.26, fc=COLORS[1], alpha=0.55))
    left.text(1.0, -1.47, t["paper"], fontsize=9, va="center")
    left.add_patch(Rectangle((0, -2.1), 0.8, 0.26, fc=COLORS[0], alpha=0.55))
    left.text(1.0, -1.97, t["adaptive"], fontsize=9, va="center")
    left.set_xlim(-0.5, 17.5)
    left.set_ylim(-2.4, 4.4)
    left.axis("off")

    table = sweep()
    levels = tuple(table)
    tallies = {k: [table[n][k] for n in levels] for k in ("small", "count", "tail", "same")}
    bottom = [0] * len(levels)
    xs = range(len(levels))
    for key, color in zip(("same", "tail", "count", "small"), ("#9ecae1", "#fdae6b", "#d62728", "#636363"),
                          strict=True):
        right.bar(xs, tallies[key], bottom=bottom, color=color, label=t[key])
        bottom = [b + v for b, v in zip(bottom, tallies[key], strict=True)]
    right.set_xticks(list(xs), [str(n) for n in levels])
    right.set_xlabel(t["lvl"])
    right.set_ylabel(t["sizes"])
    right.set_title(t["sweep"], fontsize=11)
    right.legend(fontsize=8, loc="lower left", framealpha=0.9)
    fig.tight_layout()
    return fig


def _box(ax, x, y, text, w=2.2, h=0.62, fc="#e8eaf6", ec="#3f51b5"):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.04", fc=fc, ec=ec))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, x0, y0, x1, y1):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={"arrowstyle": "->", "color": "#444"})


def _shape(t):
    return "×".join(str(d) for d in t.shape[1:])


def spp_vs_yolo(lang: str):
    t = TEXT[lang]
    # Shapes come from running the modules on "meta" tensors (shapes only, no data).
    conv5 = torch.empty(1, 256, 13, 13, device="meta")
    spp = SpatialPyramidPooling((4, 2, 1))
    neck = torch.empty(1, 512, 20, 20, device="meta")
    yolo_out, sppf_out = YoloSPP((5, 9, 13))(neck), SPPF()(neck)

    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(8.6, 4.2))
    for ax in (ax1, ax2, ax3):
        ax.set_xlim(0, 6)
        ax.set_ylim(0, 7)
        ax.axis("off")

    ax1.set_title(t["sppnet"], fontsize=10)
    _box(ax1, 3, 6.2, f"conv5 {_shape(conv5)}")
    for i, n in enumerate(spp.levels):
        x = 1 + 2 * i
        pooled = torch.nn.functional.adaptive_max_pool2d(conv5, n)
        _arrow(ax1, 3, 5.85, x, 4.75)
        _box(ax1, x, 4.4, t["pool"].format(n=n) + f"\n{_shape(pooled)}", w=1.85, h=0.8)
        _arrow(ax1, x, 4.0, 3, 3.05)
    _box(ax1, 3, 2.7, t["flat"] + f"\n{spp(conv5).shape[1]}", w=2.7, h=0.8)
    _arrow(ax1, 3, 2.3, 3, 1.45)
    _box(ax1, 3, 1.1, t["fc"], fc="#fff3e0", ec="#ef6c00")

    ax2.set_title(t["yolo"], fontsize=10)
    _box(ax2, 3, 6.2, _shape(neck))
    branches = [t["id"]] + [t["mp"].format(k=k) for k in (5, 9, 13)]
    for i, label in enumerate(branches):
        x = 0.75 + 1.5 * i
        _arrow(ax2, 3, 5.85, x, 4.75)
        _box(ax2, x, 4.4, label, w=1.36, h=0.8)
        _arrow(ax2, x, 3.95, 3, 3.05)
    ax2.text(3, 0.35, t["note"], ha="center", va="center", fontsize=8.5, color="#555")
    _box(ax2, 3, 2.7, t["cat"] + f"\n{_shape(yolo_out)}", h=0.8)
    _arrow(ax2, 3, 2.3, 3, 1.45)
    _box(ax2, 3, 1.1, t["next"], fc="#fff3e0", ec="#ef6c00")

    ax3.set_title(t["sppf"], fontsize=10)
    _box(ax3, 1.4, 6.2, _shape(neck), w=2.0)
    ys = [4.9, 3.6, 2.3]
    prev = 5.85
    for y in ys:
        _arrow(ax3, 1.4, prev, 1.4, y + 0.32)
        _box(ax3, 1.4, y, t["p5"], w=1.6)
        _arrow(ax3, 2.2, y, 3.9, 1.4)
        prev = y - 0.32
    _arrow(ax3, 2.4, 6.2, 4.2, 1.45)
    _box(ax3, 4.4, 1.1, t["cat"] + f"\n{_shape(sppf_out)}", w=2.6, h=0.8)
    fig.tight_layout()
    return fig


def window_cells(lang: str):
    """A window in a 96x96 image, the receptive-field centres of the zf_like stack, and the
    cells Appendix A maps the window to (left edge on a multiple of S: one column dropped)."""
    t = TEXT[lang]
    *_, stride, size, offset = receptive_fields(zf_like)[-1]
    side, window = 96, (16, 20, 70, 60)
    m = side // stride
    left, top, right, bottom = map_window(window, (side, side), stride, offset)
    coarse = torch.rand(1, 1, 7, 7, generator=torch.Generator().manual_seed(4))
    image = torch.nn.functional.interpolate(coarse, size=(side, side), mode="bicubic", align_corners=True)
    fig, (ax, grid) = plt.subplots(1, 2, figsize=(8.4, 5.4))
    ax.imshow(image[0, 0].numpy(), cmap="Greys", vmin=-0.5, vmax=2.5)
    x0, y0, x1, y1 = window
    ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0 + 1, y1 - y0 + 1, fill=False, ec=COLORS[0], lw=2))
    centres = [stride * c + offset for c in range(m)]
    ax.plot([x for x in centres for _ in centres], [y for _ in centres for y in centres], ".",
            color="#888", ms=3, label=t["centre"].format(s=stride))
    picked = [(stride * c + offset, stride * r + offset)
              for r in range(top, bottom + 1) for c in range(left, right + 1)]
    ax.plot(*zip(*picked, strict=True), "o", color=COLORS[2], ms=5, label=t["picked"])
    on_edge = [(x, y) for x in centres for y in centres if x == x0 and y0 < y < y1]
    ax.plot(*zip(*on_edge, strict=True), "o", mfc="none", mec=COLORS[1], ms=7, mew=1.5, label=t["edge"])
    cx, cy = picked[0]
    half = (size - 1) / 2
    ax.add_patch(Rectangle((cx - half - 0.5, cy - half - 0.5), size, size, fill=False, ec=COLORS[3],
                           ls="--", lw=1.4, label=t["rf"].format(i=top, j=left, r=size)))
    ax.set_xlim(-0.5, side - 0.5)
    ax.set_ylim(side - 0.5, -0.5)
    ax.set_title(t["image"].format(w=window), fontsize=10)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), framealpha=0.9)

    for k in range(m + 1):
        grid.plot([k - 0.5, k - 0.5], [-0.5, m - 0.5], color="#ccc", lw=0.6)
        grid.plot([-0.5, m - 0.5], [k - 0.5, k - 0.5], color="#ccc", lw=0.6)
    grid.add_patch(Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1,
                             fc=COLORS[2], alpha=0.45, ec=COLORS[2], lw=1.5, label=t["cells"]))
    grid.add_patch(Rectangle((left - 1.5, top - 0.5), 1, bottom - top + 1, fill=False, ec=COLORS[1],
                             hatch="///", lw=1.2, label=t["extra"]))
    grid.set_xlim(-0.5, m - 0.5)
    grid.set_ylim(m - 0.5, -0.5)
    grid.set_xticks(range(m))
    grid.set_yticks(range(m))
    grid.tick_params(labelsize=7)
    grid.set_aspect("equal")
    cells = f"{left}..{right} × {top}..{bottom}"
    grid.set_title(t["grid"].format(m=m, c=cells), fontsize=10)
    grid.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), framealpha=0.9)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.93, bottom=0.25, wspace=0.2)
    return fig


FIGURES = {"bins": bins, "paper-windows": paper_windows_figure, "spp-vs-yolo": spp_vs_yolo,
           "window-cells": window_cells}

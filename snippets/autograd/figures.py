"""Figures of the autograd article, drawn from computations that run when the figure is made."""

from __future__ import annotations

import json
from pathlib import Path

from snippets.autograd.forgetting import fit_line
from snippets.autograd.graph import graph_of, tiny_network_loss

TEXT = {
    "zh": {
        "graph_title": "loss 的计算图：从 loss.grad_fn 沿 next_functions 遍历得到",
        "formula": "loss = mean((tanh(x @ W + b) @ v − t)²) + 0.01·sum(W²)",
        "op": "反向节点（grad_fn）",
        "leaf": "AccumulateGrad：把梯度累加进叶子的 .grad",
        "root": "根节点 loss.grad_fn",
        "flow": "梯度流向",
        "acc_title": "不调用 zero_grad：.grad 是历次梯度之和",
        "step": "步数",
        "loss": "损失（对数坐标）",
        "with": "每步先 zero_grad()",
        "without": "从不 zero_grad()",
        "wide": "宽：R^n → R^4（n = 尺寸）",
        "tall": "高：R^4 → R^m（m = 尺寸）",
        "size": "尺寸（对数坐标）",
        "ms": "求一个雅可比矩阵的时间（ms，对数坐标）",
        "forward": "前向模式 jacfwd",
        "reverse": "反向模式 jacrev",
        "modes_title": "中位数，竖线为四分位；{cpu}，{threads} 线程，{rounds} 轮交错测量",
    },
    "en": {
        "graph_title": "The graph of loss, found by walking next_functions from loss.grad_fn",
        "formula": "loss = mean((tanh(x @ W + b) @ v − t)²) + 0.01·sum(W²)",
        "op": "backward node (grad_fn)",
        "leaf": "AccumulateGrad: adds the gradient into a leaf's .grad",
        "root": "root: loss.grad_fn",
        "flow": "gradient flows",
        "acc_title": "Without zero_grad, .grad is the sum of all past gradients",
        "step": "step",
        "loss": "loss (log scale)",
        "with": "zero_grad() before every step",
        "without": "never zero_grad()",
        "wide": "wide: R^n → R^4 (n = size)",
        "tall": "tall: R^4 → R^m (m = size)",
        "size": "size (log scale)",
        "ms": "time of one Jacobian (ms, log scale)",
        "forward": "forward mode, jacfwd",
        "reverse": "reverse mode, jacrev",
        "modes_title": "median, bars from first to third quartile; {cpu}, {threads} thread, "
                       "{rounds} interleaved rounds",
    },
}

OP, LEAF, EDGE = "#e3e8f8", "#fde7c8", "#555555"


def layered_layout(nodes, edges):
    """A small layered (Sugiyama-style) layout of the graph, top to bottom.

    A node's row is its longest distance from the root. An edge that spans several rows gets a
    dummy point in each row it crosses, so it keeps a lane of its own instead of cutting through
    boxes. Within a row, points go to the mean x of their parents, then are pushed apart.
    Returns ({node: (x, y)}, {edge: [(x, y), ...] points from source to target}).
    """
    row = dict.fromkeys(nodes, 0)
    changed = True
    while changed:  # longest path from the root (the graph has no cycles)
        changed = False
        for a, b in edges:
            if row[b] < row[a] + 1:
                row[b], changed = row[a] + 1, True
    # chains of points: one per edge, with a dummy for every row strictly between its ends
    chains = {(a, b): [a] + [("dummy", i, r) for r in range(row[a] + 1, row[b])] + [b]
              for i, (a, b) in enumerate(edges)}
    points_row, parents = dict(row), {}
    for chain in chains.values():
        for upper, lower in zip(chain, chain[1:], strict=False):
            if upper not in row:
                points_row[upper] = upper[2]
            parents.setdefault(lower, []).append(upper)
    x = {}
    for r in range(max(row.values()) + 1):
        members = [n for n in points_row if points_row[n] == r]
        want = {n: sum(x[p] for p in parents[n]) / len(parents[n]) if n in parents else 0.0 for n in members}
        members.sort(key=lambda n: (want[n], n in row))  # on a tie, a lane goes left of a box
        placed = []
        for n in members:
            gap = 1.0 if (n in row and placed and placed[-1][0] in row) else 0.75
            placed.append((n, max(want[n], placed[-1][1] + gap) if placed else want[n]))
        shift = sum(want.values()) / len(members) - sum(px for _, px in placed) / len(placed)
        for n, px in placed:
            x[n] = px + shift
    for chain in chains.values():  # straighten each lane: all its dummies at the x of the right-most one
        lane = [p for p in chain if p not in row]
        if lane:
            right = max(x[p] for p in lane)
            for p in lane:
                x[p] = right
    pos = {n: (x[n], -row[n]) for n in nodes}
    routes = {e: [(x[p], -points_row[p]) for p in chain] for e, chain in chains.items()}
    return pos, routes


def autograd_graph(lang: str):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    t = TEXT[lang]
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    pos, routes = layered_layout(nodes, edges)
    xs = [px for route in routes.values() for px, _ in route]
    depth = -min(p[1] for p in pos.values())
    fig, ax = plt.subplots(figsize=(6.4, 0.72 * depth + 2.4))
    for route in routes.values():
        (x0, y0), (x1, y1) = route[0], route[-1]
        line = [(x0, y0 - 0.2)] + route[1:-1] + [(x1, y1 + 0.2)]
        ax.plot([p[0] for p in line[:-1]], [p[1] for p in line[:-1]], color=EDGE, lw=1.1)
        ax.annotate("", xy=line[-1], xytext=line[-2],
                    arrowprops={"arrowstyle": "-|>", "color": EDGE, "lw": 1.1, "shrinkA": 0, "shrinkB": 0})
    root = loss.grad_fn
    for node, label in nodes.items():
        px, py = pos[node]
        is_leaf = label.startswith("AccumulateGrad")
        ax.text(px, py, label, ha="center", va="center", fontsize=9.5, family="monospace",
                bbox={"boxstyle": "round,pad=0.35", "fc": LEAF if is_leaf else OP,
                      "ec": "#222222" if node is root else ("#c77700" if is_leaf else "#3f51b5"),
                      "lw": 2.0 if node is root else 1.0})
    left, right = min(xs) - 0.75, max(xs) + 0.7
    ax.annotate("", xy=(right - 0.05, -depth + 0.3), xytext=(right - 0.05, -0.3),
                arrowprops={"arrowstyle": "-|>", "color": "#999999", "lw": 1.5})
    ax.text(right - 0.12, -depth / 2, t["flow"], rotation=90, ha="right", va="center", fontsize=9, color="#777777")
    ax.set_xlim(left, right)
    ax.set_ylim(-depth - 0.6, 0.6)
    ax.axis("off")
    ax.set_title(t["graph_title"] + "\n" + t["formula"], fontsize=10.5)
    ax.legend(handles=[Patch(fc=OP, ec="#3f51b5", label=t["op"]),
                       Patch(fc=LEAF, ec="#c77700", label=t["leaf"]),
                       Patch(fc=OP, ec="#222222", lw=2.0, label=t["root"])],
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1, fontsize=9, frameon=False)
    fig.tight_layout()
    return fig


def accumulation(lang: str):
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    t = TEXT[lang]
    steps = 40
    # 4 significant digits: the last bits of float32 sums may differ between CPUs, the plot must not
    with_zero, without_zero = ([float(f"{v:.4g}") for v in fit_line(steps, zero_grad=flag)]
                               for flag in (True, False))
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    ax.plot(range(1, steps + 1), with_zero, color="#3f51b5", lw=2, label=t["with"])
    ax.plot(range(1, steps + 1), without_zero, color="#d84315", lw=2, ls="--", label=t["without"])
    ax.set_yscale("log")
    ax.set_xlabel(t["step"])
    ax.set_ylabel(t["loss"])
    ax.set_title(t["acc_title"], fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(handles=[Line2D([], [], color="#3f51b5", lw=2, label=t["with"]),
                       Line2D([], [], color="#d84315", lw=2, ls="--", label=t["without"])],
              loc="lower left", fontsize=9)
    fig.tight_layout()
    return fig


MEASURED = Path(__file__).resolve().parent / "measured" / "jacobian.json"


def jacobian_modes(lang: str):
    """Time of jacfwd and jacrev against size, wide and tall, from measured/jacobian.json."""
    import matplotlib.pyplot as plt

    t = TEXT[lang]
    data = json.loads(MEASURED.read_text())
    m, s = data["machine"], data["settings"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
    colors = {"forward": "#1e88e5", "reverse": "#e53935"}
    for ax, shape in zip(axes, ("wide", "tall"), strict=True):
        for mode, rows in data["results"][shape].items():
            sizes = [r["size"] for r in rows]
            ms = [r["median"] * 1e3 for r in rows]
            spread = [[(r["median"] - r["q1"]) * 1e3 for r in rows],
                      [(r["q3"] - r["median"]) * 1e3 for r in rows]]
            ax.errorbar(sizes, ms, yerr=spread, fmt="o-", ms=4, capsize=2,
                        color=colors[mode], label=t[mode])
        ax.set_xscale("log", base=2)
        ax.set_xticks(s["sizes"], [str(n) for n in s["sizes"]])
        ax.minorticks_off()
        ax.set_yscale("log")
        ax.set_title(t[shape], fontsize=10)
        ax.set_xlabel(t["size"])
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel(t["ms"])
    axes[0].legend(fontsize=8)
    fig.suptitle(t["modes_title"].format(cpu=m["cpu"], threads=m["threads"],
                                         rounds=s["rounds"]), fontsize=8)
    fig.tight_layout()
    return fig


FIGURES = {"graph": autograd_graph, "accumulation": accumulation, "jacobian-modes": jacobian_modes}

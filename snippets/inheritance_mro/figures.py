"""Figures of the inheritance-mro article, drawn from the classes themselves."""

from __future__ import annotations

import matplotlib.pyplot as plt

from snippets.inheritance_mro import orders
from snippets.inheritance_mro.c3 import c3_linearize

TEXT = {
    "zh": {"diamond": "原文的菱形：BFS 与 C3 相同", "pqrs": "P/Q/R/S：BFS 与 C3 不同",
           "lists": "待合并的列表", "take": "取出", "result": "结果"},
    "en": {"diamond": "The seed's diamond: BFS = C3", "pqrs": "P/Q/R/S: BFS ≠ C3",
           "lists": "lists to merge", "take": "take", "result": "result"},
}


def _graph(ax, edges, pos, title):
    for child, base in edges:
        (x0, y0), (x1, y1) = pos[child], pos[base]
        ax.annotate("", xy=(x1, y1 + 0.12), xytext=(x0, y0 - 0.12),
                    arrowprops={"arrowstyle": "->", "color": "#444"})
    for name, (x, y) in pos.items():
        ax.text(x, y, name, ha="center", va="center", fontsize=13,
                bbox={"boxstyle": "round", "fc": "#e8eaf6", "ec": "#3f51b5"})
    ax.set_title(title, fontsize=11)
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-0.5, 2.5)
    ax.axis("off")


def hierarchies(lang: str):
    t = TEXT[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    _graph(left, [("D", "B"), ("D", "C"), ("B", "A"), ("C", "A")],
           {"D": (0, 0), "B": (-0.8, 1), "C": (0.8, 1), "A": (0, 2)},
           t["diamond"] + "\n" + " ".join(c.__name__ for c in orders.D.__mro__[:-1]))
    _graph(right, [("S", "Q"), ("S", "R"), ("Q", "P")],
           {"S": (0, 0), "Q": (-0.8, 1), "R": (0.8, 1), "P": (-0.8, 2)},
           t["pqrs"] + "\n" + " ".join(c.__name__ for c in orders.S.__mro__[:-1]))
    return fig


def merge_steps(cls):
    """[(lists before the step, class taken)] of the final merge that builds L[cls]."""
    sequences = [c3_linearize(b) for b in cls.__bases__] + [list(cls.__bases__)]
    steps = []
    while any(sequences):
        sequences = [s for s in sequences if s]
        head = next(s[0] for s in sequences if not any(s[0] in o[1:] for o in sequences))
        steps.append(([list(s) for s in sequences], head))
        sequences = [s[1:] if s[0] is head else s for s in sequences]
    return steps


def merge_table(lang: str):
    t = TEXT[lang]
    cls = orders.S
    rows, result = [], [cls.__name__]
    for lists, head in merge_steps(cls):
        shown = "  ".join("[" + " ".join(c.__name__ for c in s) + "]" for s in lists)
        result.append(head.__name__)
        rows.append([shown, head.__name__, " ".join(result)])
    fig, ax = plt.subplots(figsize=(8, 0.45 * (len(rows) + 1) + 0.3))
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=[t["lists"], t["take"], t["result"]],
                     colWidths=[0.55, 0.12, 0.33], loc="center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.scale(1, 1.5)
    return fig


FIGURES = {"hierarchies": hierarchies, "merge-table": merge_table}

"""Figures of the inheritance-mro article, drawn from the classes themselves."""

from __future__ import annotations

import matplotlib.pyplot as plt

from snippets.inheritance_mro import orders
from snippets.inheritance_mro.c3 import c3_linearize, merge_steps

TEXT = {
    "zh": {"diamond": "原文的菱形：BFS 与 C3 相同", "pqrs": "P/Q/R/S：BFS 与 C3 不同",
           "lists": "待合并的列表", "refused": "被拒的表头", "take": "取出", "result": "结果"},
    "en": {"diamond": "The seed's diamond: BFS = C3", "pqrs": "P/Q/R/S: BFS ≠ C3",
           "lists": "lists to merge", "refused": "refused head", "take": "take", "result": "result"},
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


def merge_table(lang: str):
    """The merge that builds L[S], one row per step, from the article's own merge_steps."""
    t = TEXT[lang]
    cls = orders.S
    lists = [c3_linearize(b) for b in cls.__bases__] + [list(cls.__bases__)]
    rows, result = [], [cls.__name__]
    for lists_now, rejected, head in merge_steps(lists):
        shown = "  ".join("[" + " ".join(c.__name__ for c in s) + "]" for s in lists_now)
        result.append(head.__name__)
        rows.append([shown, " ".join(c.__name__ for c in rejected), head.__name__, " ".join(result)])
    fig, ax = plt.subplots(figsize=(8.6, 0.45 * (len(rows) + 1) + 0.3))
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=[t["lists"], t["refused"], t["take"], t["result"]],
                     colWidths=[0.44, 0.14, 0.12, 0.30], loc="center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.scale(1, 1.5)
    return fig


FIGURES = {"hierarchies": hierarchies, "merge-table": merge_table}

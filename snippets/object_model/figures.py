"""The figure of the object-model article: name -> object arrows, drawn from record_bindings().

Nothing here is placed by hand: the names, the objects, which arrow goes where and the
values shown all come from the snapshots that bindings.record_bindings() takes with
sys.settrace while caller() runs. Object identities appear as the labels obj1, obj2, ...
"""

from __future__ import annotations

from snippets.object_model.bindings import record_bindings

TITLES = {
    "zh": {"before the call": "① 调用 modify(count, data) 之前",
           "on entering modify()": "② 刚进入 modify()：参数与实参是同一对象",
           "as modify() returns": "③ modify() 返回时：n 被重新绑定，列表被修改",
           "after the call": "④ 调用之后：count 不变，data 看到了修改"},
    "en": {"before the call": "① before modify(count, data)",
           "on entering modify()": "② entering modify(): the same objects as the arguments",
           "as modify() returns": "③ modify() returns: n rebound, the list mutated",
           "after the call": "④ after the call: count unchanged, data sees the change"},
}
FRAME_COLORS = {"caller": "#1e88e5", "modify": "#e65100"}


def _panel(ax, title, rows):
    objects = sorted({(label, kind, value) for _, _, label, kind, value in rows},
                     key=lambda o: int(o[0][3:]))
    obj_y = {label: 3.2 - 1.35 * i for i, (label, _, _) in enumerate(objects)}
    for label, kind, value in objects:
        ax.text(7.2, obj_y[label], f"{label}: {kind}\n{value}", ha="center", va="center",
                fontsize=11, family="monospace",
                bbox={"boxstyle": "round,pad=0.4", "fc": "#f5f5f5", "ec": "#616161"})
    y = 3.4
    for function in dict.fromkeys(r[0] for r in rows):
        color = FRAME_COLORS[function]
        ax.text(0.2, y, f"{function}()", fontsize=10, color=color, va="center")
        y -= 0.55
        for func, name, label, _, _ in rows:
            if func != function:
                continue
            ax.text(1.6, y, name, ha="center", va="center", fontsize=12, family="monospace",
                    bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": color})
            ax.annotate("", xy=(5.8, obj_y[label]), xytext=(2.4, y),
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.4,
                                    "shrinkA": 2, "shrinkB": 4})
            y -= 0.7
        y -= 0.2
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlim(0, 9.4)
    ax.set_ylim(-0.6, 3.8)
    ax.axis("off")


def call_by_sharing(lang: str):
    import matplotlib.pyplot as plt

    shots = record_bindings()
    fig, axes = plt.subplots(2, 2, figsize=(8.6, 5.4))
    for ax, (moment, rows) in zip(axes.flat, shots, strict=True):
        _panel(ax, TITLES[lang][moment], rows)
    fig.tight_layout()
    return fig


FIGURES = {"call-by-sharing": call_by_sharing}

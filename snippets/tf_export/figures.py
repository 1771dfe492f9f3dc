"""The figure of the tf-export article, drawn from mini_tf's real registry and the generator."""

from __future__ import annotations

import matplotlib.pyplot as plt

from snippets.tf_export.mini_tf import mini_tf
from snippets.tf_export.generator import SUBMODULE, api_tree

TEXT = {
    "zh": {
        "import": "① 导入时：每个装饰器记下公开路径（函数属性 + 注册表）",
        "build": "② 构建时：生成器读取注册表，写出各级 __init__.py",
        "use": "③ 用户代码：import tensorflow as tf",
        "same": "同一个函数对象，没有改名，也没有包装",
        "symbol": "函数",
    },
    "en": {
        "import": "① import time: each decorator records public paths (attributes + registry)",
        "build": "② build time: the generator writes the package's __init__.py files",
        "use": "③ user code: import tensorflow as tf",
        "same": "the same function objects: nothing renamed, nothing wrapped",
        "symbol": "function",
    },
}
V2, V1 = "#1f5fbf", "#c0560b"


def _box(ax, y_top, height, title):
    ax.add_patch(plt.Rectangle((0.01, y_top - height), 0.98, height, fill=False, ec="#777", lw=1))
    ax.text(0.025, y_top - 0.012, title, va="top", fontsize=10)


def pipeline(lang: str):
    t = TEXT[lang]
    symbols = [mini_tf.add, mini_tf.reduce_sum, mini_tf.relu, mini_tf.run]
    tree = api_tree(mini_tf.REGISTRY)
    fig, ax = plt.subplots(figsize=(7.6, 5.6))
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    mono = {"family": "monospace", "fontsize": 8.5}

    # 1. import time: the attributes each decorator set
    _box(ax, 0.99, 0.25, t["import"])
    ax.text(0.05, 0.925, t["symbol"], fontsize=9, color="#555")
    ax.text(0.2, 0.925, "_tf_api_names", **mono, color=V2)
    ax.text(0.56, 0.925, "_tf_api_names_v1", **mono, color=V1)
    for row, f in enumerate(symbols):
        y = 0.89 - row * 0.037
        ax.text(0.05, y, f.__name__, **mono)
        ax.text(0.2, y, repr(f._tf_api_names), **mono, color=V2)
        ax.text(0.56, y, repr(f._tf_api_names_v1), **mono, color=V1)

    ax.annotate("", xy=(0.5, 0.695), xytext=(0.5, 0.735), arrowprops={"arrowstyle": "-|>", "color": "#444"})

    # 2. build time: one __init__.py per generated module, with what it exposes
    _box(ax, 0.69, 0.33, t["build"])
    for row, (path, entries) in enumerate(sorted(tree.items())):
        y = 0.625 - row * 0.032
        folder = "/".join(["tf", *path.split(".")]) if path else "tf"
        names = ", ".join(n + ("/" if v is SUBMODULE else "") for n, v in sorted(entries.items()))
        ax.text(0.05, y, f"{folder}/__init__.py", **mono, color=V1 if path.startswith("compat") else V2)
        ax.text(0.43, y, names, **mono)

    ax.annotate("", xy=(0.5, 0.315), xytext=(0.5, 0.355), arrowprops={"arrowstyle": "-|>", "color": "#444"})

    # 3. import: the public paths a user can type
    _box(ax, 0.31, 0.3, t["use"])
    v2 = sorted(p for p in mini_tf.REGISTRY if not p.startswith("compat."))
    v1 = sorted(p for p in mini_tf.REGISTRY if p.startswith("compat."))
    for row, path in enumerate(v2):
        f = mini_tf.REGISTRY[path]
        ax.text(0.05, 0.245 - row * 0.032, f"tf.{path}", **mono, color=V2)
        ax.text(0.27, 0.245 - row * 0.032, f"→ {f.__name__}", **mono)
    for row, path in enumerate(v1):
        f = mini_tf.REGISTRY[path]
        ax.text(0.45, 0.245 - row * 0.032, f"tf.{path}", **mono, color=V1)
        ax.text(0.78, 0.245 - row * 0.032, f"→ {f.__name__}", **mono)
    ax.text(0.05, 0.025, t["same"], fontsize=9.5, style="italic", color="#555")
    return fig


FIGURES = {"pipeline": pipeline}

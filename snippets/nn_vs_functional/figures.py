"""Figures of the nn-vs-functional article, drawn by running the article's own networks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import ListedColormap

from snippets.nn_vs_functional.dropout_pitfall import FixedNet, ForgetfulNet, ModuleNet

TEXT = {
    "zh": {"zeroed": "置零 {n}/{total}", "train": "model.train()", "eval": "model.eval()",
           "legend": "黑：被置零 · 灰：原值 1 · 蓝：放大为 1/(1-p) = 2"},
    "en": {"zeroed": "{n}/{total} zeroed", "train": "model.train()", "eval": "model.eval()",
           "legend": "black: dropped · grey: kept as 1 · blue: scaled to 1/(1-p) = 2"},
}
ROWS = [
    (ModuleNet, "self.drop = nn.Dropout(0.5)"),
    (ForgetfulNet, "F.dropout(x, p=0.5)"),
    (FixedNet, "F.dropout(x, p=0.5,\ntraining=self.training)"),
]


def dropout_outputs(seed: int = 0, shape=(10, 10)):
    """{(class name, mode): output} for an all-ones input, same seed for every call."""
    x = torch.ones(shape)
    outputs = {}
    for cls, _ in ROWS:
        net = cls()
        for mode in ("train", "eval"):
            getattr(net, mode)()
            torch.manual_seed(seed)
            outputs[cls.__name__, mode] = net(x).numpy()
    return outputs


def dropout_masks(lang: str):
    t = TEXT[lang]
    outputs = dropout_outputs()
    cmap = ListedColormap(["#222222", "#d0d0d0", "#1f5fbf"])  # values 0, 1, 2
    fig, axes = plt.subplots(3, 2, figsize=(6.2, 8.2))
    for r, (cls, label) in enumerate(ROWS):
        for c, mode in enumerate(("train", "eval")):
            ax = axes[r, c]
            out = outputs[cls.__name__, mode]
            ax.imshow(np.rint(out), cmap=cmap, vmin=0, vmax=2)
            ax.set_xticks([])
            ax.set_yticks([])
            zeros = int((out == 0).sum())
            ax.set_xlabel(t["zeroed"].format(n=zeros, total=out.size), fontsize=10)
            if r == 0:
                ax.set_title(t[mode], fontsize=11, family="monospace")
            if c == 0:
                ax.set_ylabel(label, fontsize=9, family="monospace")
    fig.text(0.5, 0.01, t["legend"], ha="center", fontsize=9.5)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


FIGURES = {"dropout-masks": dropout_masks}

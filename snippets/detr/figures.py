"""Figures of the DETR article, drawn from the running code and the committed checkpoint."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import FancyBboxPatch, Rectangle

from snippets.detr.attention import cross_attention, detected_query_shares
from snippets.detr.boxes import box_cxcywh_to_xyxy
from snippets.detr.infer import WEIGHTS, detect, load_model
from snippets.detr.loss import match_batch
from snippets.detr.matcher import matching_cost
from snippets.detr.model import R50_CONFIG, build_detr
from snippets.detr.shapes import make_batch, make_image

HELD_OUT_SEED = 2
COLOURS = ["#d62728", "#2ca02c", "#1f77b4"]

TEXT = {
    "zh": {
        "image": "图像", "backbone": "ResNet-50\n（冻结 BN）", "proj": "1×1 卷积\n降到 d = 256",
        "pos": "+ 正弦位置编码\n展平为\n{n} 个 token", "enc": "编码器 ×6\n自注意力",
        "queries": "100 个可学习的\n目标查询", "dec": "解码器 ×6\n交叉注意力",
        "cls": "类别头\n{c}（含“无目标”）", "box": "框头 + sigmoid\n(cx, cy, w, h) ∈ [0, 1]",
        "match": "训练：与真实框做二分图匹配\n推理：按阈值保留，无 NMS",
        "names": ["矩形", "椭圆", "三角形"], "query": "查询", "object": "目标",
        "cost_title": "匹配代价（越小越好）与匈牙利算法的选择",
        "image_title": "真实框（虚线）与匹配上的预测框",
        "det_title": "留出图像上的检测结果（阈值 {t}）",
        "steps": "训练步数", "loss": "集合损失（含辅助损失）",
        "pr": "验证集", "precision": "精确率", "recall": "召回率",
        "detected": "留出图像 6 与检测框", "attends": "查询 {q}（{name}）\n框内注意力 {share:.2f}",
    },
    "en": {
        "image": "image", "backbone": "ResNet-50\n(frozen BN)", "proj": "1×1 conv\ndown to d = 256",
        "pos": "+ sine positions\nflatten to\n{n} tokens", "enc": "encoder ×6\nself-attention",
        "queries": "100 learned\nobject queries", "dec": "decoder ×6\ncross-attention",
        "cls": "class head\n{c} (with \"no object\")", "box": "box head + sigmoid\n(cx, cy, w, h) in [0, 1]",
        "match": "training: bipartite matching to the ground truth\ninference: keep by threshold, no NMS",
        "names": ["rectangle", "ellipse", "triangle"], "query": "query", "object": "object",
        "cost_title": "Matching cost (lower is better) and the Hungarian choice",
        "image_title": "Ground truth (dashed) and matched predictions",
        "det_title": "Detections on held-out images (threshold {t})",
        "steps": "training steps", "loss": "set loss (with auxiliary losses)",
        "pr": "validation", "precision": "precision", "recall": "recall",
        "detected": "held-out image 6, detections", "attends": "query {q} ({name})\n{share:.2f} inside its box",
    },
}


@functools.cache  # asked once per language; building the model is most of the time
def r50_shapes(height=800, width=1066):
    """Output shapes of every stage of DETR-R50, run on the meta device (no memory, no compute)."""
    shapes = {}
    with torch.device("meta"):
        model = build_detr(R50_CONFIG).eval()
        stages = {"body": model.backbone[0], "proj": model.input_proj, "cls": model.class_embed,
                  "box": model.bbox_embed}
        for name, module in stages.items():
            module.register_forward_hook(lambda m, i, o, name=name: shapes.__setitem__(name, tuple(o.shape)))
        model(torch.empty(1, 3, height, width))
    return shapes


def pipeline(lang):
    t = TEXT[lang]
    s = r50_shapes()
    c, h, w = s["proj"][1:]
    fig, ax = plt.subplots(figsize=(11, 3.3))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01)
    ax.set_xlim(0, 10.3)
    ax.set_ylim(0, 3.0)
    ax.axis("off")
    width, height, step = 1.2, 0.95, 1.38
    rows = {"main": 1.55, "low": 0.2}
    boxes = [
        (0, "main", f"{t['image']}\n3×800×1066", "#eeeeee"),
        (1, "main", f"{t['backbone']}\n{'×'.join(map(str, s['body'][1:]))}", "#dbe9f6"),
        (2, "main", f"{t['proj']}\n{c}×{h}×{w}", "#dbe9f6"),
        (3, "main", t["pos"].format(n=h * w), "#fde9c9"),
        (4, "main", f"{t['enc']}\n{h * w}×{c}", "#fde9c9"),
        (4, "low", f"{t['queries']}\n100×{c}", "#e5d8f0"),
        (5, "main", f"{t['dec']}\n100×{c}", "#fde9c9"),
    ]
    for col, row, label, colour in boxes:
        x, y = 0.05 + col * step, rows[row]
        ax.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.03", fc=colour, ec="#555555"))
        ax.text(x + width / 2, y + height / 2, label, ha="center", va="center", fontsize=7.5)
    heads = [(2.05, t["cls"].format(c="×".join(map(str, s["cls"][-2:])))), (1.05, t["box"])]
    for y, label in heads:
        x = 0.05 + 6 * step + 0.15
        ax.add_patch(FancyBboxPatch((x, y), width + 0.45, 0.8, boxstyle="round,pad=0.03", fc="#d9f0d3", ec="#555555"))
        ax.text(x + (width + 0.45) / 2, y + 0.4, label, ha="center", va="center", fontsize=7.5)
    arrow = {"arrowstyle": "->", "color": "#444444"}
    for col in range(5):
        x = 0.05 + col * step + width
        ax.annotate("", xy=(x + step - width - 0.02, 2.02), xytext=(x + 0.02, 2.02), arrowprops=arrow)
    dec_x = 0.05 + 5 * step
    ax.annotate("", xy=(dec_x + 0.3, rows["main"] - 0.02), xytext=(0.05 + 4 * step + width, 0.68), arrowprops=arrow)
    for y in (2.45, 1.45):
        ax.annotate("", xy=(0.05 + 6 * step + 0.13, y), xytext=(dec_x + width + 0.02, 2.02), arrowprops=arrow)
    ax.text(0.05 + 6 * step + 0.15 + (width + 0.45) / 2, 0.75, t["match"], ha="center", va="top", fontsize=7,
            color="#333333")
    return fig


def _held_out_example(index=6):
    model, config = load_model(WEIGHTS)
    images, targets = make_batch(HELD_OUT_SEED, index, 1)
    with torch.no_grad():
        out = model(images)
    return model, config, out, targets[0], make_image(HELD_OUT_SEED, index)


def cost_matrix(lang):
    t = TEXT[lang]
    _, _, out, target, (image, boxes, labels) = _held_out_example()
    cost = matching_cost(out["pred_logits"][0], out["pred_boxes"][0], target["labels"], target["boxes"])
    (rows, cols), = match_batch(out["pred_logits"], out["pred_boxes"], [target])
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.2), gridspec_kw={"width_ratios": [1, 1.1]})
    left.imshow(image, interpolation="nearest")
    left.set_title(t["image_title"], fontsize=10)
    left.axis("off")
    pred = out["pred_boxes"][0].numpy() * 64
    for j, (box, label) in enumerate(zip(boxes, labels, strict=True)):
        colour = COLOURS[label]
        left.add_patch(Rectangle(box[:2] - 0.5, *(box[2:] - box[:2]), fill=False, ec="white", lw=2.5, ls="--"))
        left.text(box[0], box[1] - 1.5, f"{t['object']} {j}", color="white", fontsize=8, va="bottom",
                  bbox={"fc": colour, "ec": "none", "pad": 1})
    for q, j in zip(rows.tolist(), cols.tolist(), strict=True):
        cx, cy, w, h = pred[q]
        left.add_patch(Rectangle((cx - w / 2 - 0.5, cy - h / 2 - 0.5), w, h, fill=False,
                                 ec=COLOURS[labels[j]], lw=1.5))
    matrix = cost.numpy()
    im = right.imshow(matrix, cmap="viridis_r", aspect="auto")
    right.scatter(cols.numpy(), rows.numpy(), s=260, facecolors="none", edgecolors="#d62728", linewidths=2.2)
    for q in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            right.text(j, q, f"{matrix[q, j]:.1f}", ha="center", va="center", fontsize=7,
                       color="white" if matrix[q, j] > matrix.mean() else "black")
    right.set_xticks(range(matrix.shape[1]), [f"{t['object']} {j}\n{t['names'][lab]}" for j, lab in enumerate(labels)],
                     fontsize=8)
    right.set_yticks(range(matrix.shape[0]), [f"{t['query']} {q}" for q in range(matrix.shape[0])], fontsize=8)
    right.set_title(t["cost_title"], fontsize=10)
    fig.colorbar(im, ax=right, fraction=0.05)
    fig.tight_layout()
    return fig


def detections(lang, indices=(0, 1, 2, 3, 4, 5, 6, 7)):
    from PIL import Image

    t = TEXT[lang]
    model, config = load_model(WEIGHTS)
    fig, axes = plt.subplots(2, 4, figsize=(9, 4.9))
    for ax, index in zip(axes.flat, indices, strict=True):
        image = make_image(HELD_OUT_SEED, index)[0]
        scores, labels, boxes = detect(model, Image.fromarray(image), config, config["threshold"])
        ax.imshow(image, interpolation="nearest")
        ax.axis("off")
        for score, label, (x0, y0, x1, y1) in zip(scores.tolist(), labels.tolist(), boxes.tolist(), strict=True):
            ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec=COLOURS[label], lw=2))
            ax.text(x0 - 0.5, y0 - 1, f"{t['names'][label]} {score:.2f}", fontsize=6.5, color="white", va="bottom",
                    bbox={"fc": COLOURS[label], "ec": "none", "pad": 0.8})
        ax.set_xlim(-0.5, 63.5)
        ax.set_ylim(63.5, -6)
    fig.suptitle(t["det_title"].format(t=config["threshold"]), fontsize=11)
    fig.tight_layout()
    return fig


def training(lang):
    t = TEXT[lang]
    history = np.array(torch.load(WEIGHTS, weights_only=True)["config"]["history"], dtype=float)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(history[:, 0], history[:, 1], color="#444444")
    left.set_xlabel(t["steps"])
    left.set_ylabel(t["loss"])
    right.plot(history[:, 0], history[:, 2], marker="o", ms=3, label=t["precision"])
    right.plot(history[:, 0], history[:, 3], marker="s", ms=3, label=t["recall"])
    right.axhline(0.9, color="#999999", lw=0.8, ls="--")
    right.set_ylim(0, 1.02)
    right.set_xlabel(t["steps"])
    right.set_title(f"{t['pr']} (IoU ≥ 0.5, p ≥ 0.7)", fontsize=10)
    right.legend(loc="lower right")
    fig.tight_layout()
    return fig


def attention_maps(lang, index=6):
    """The last decoder layer's cross-attention of each detected query, over the image."""
    t = TEXT[lang]
    model, config = load_model(WEIGHTS)
    image = make_image(HELD_OUT_SEED, index)[0]
    outputs, attention = cross_attention(model, make_batch(HELD_OUT_SEED, index, 1)[0])
    found = detected_query_shares(outputs, attention, config["threshold"], 64)
    boxes = box_cxcywh_to_xyxy(outputs["pred_boxes"][0]).numpy() * 64
    fig, axes = plt.subplots(1, len(found) + 1, figsize=(2.25 * (len(found) + 1), 2.6))
    axes[0].imshow(image, interpolation="nearest")
    axes[0].set_title(t["detected"], fontsize=9)
    grey = image.mean(-1)
    axes[0].axis("off")
    for _, q, label, *_ in found:
        x0, y0, x1, y1 = boxes[q]
        axes[0].add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec=COLOURS[label], lw=2))
    for ax, (_, q, label, _, share, _) in zip(axes[1:], found, strict=True):
        weights = attention[0, q].numpy()
        overlay = np.zeros((*weights.shape, 4))
        overlay[..., :3] = (1.0, 0.85, 0.0)  # yellow, as opaque as the cell's weight is high
        overlay[..., 3] = 0.9 * weights / weights.max()
        ax.imshow(grey, cmap="gray", interpolation="nearest", vmin=-60, vmax=255)
        ax.imshow(overlay, extent=(-0.5, 63.5, 63.5, -0.5), interpolation="nearest")
        x0, y0, x1, y1 = boxes[q]
        ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False, ec=COLOURS[label], lw=2))
        ax.set_title(t["attends"].format(q=q, name=t["names"][label], share=share), fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    return fig


FIGURES = {"pipeline": pipeline, "cost-matrix": cost_matrix, "detections": detections, "training": training,
           "cross-attention": attention_maps}

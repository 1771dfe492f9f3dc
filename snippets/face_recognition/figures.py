"""Figures of the face-recognition article, drawn from the snippets' own results."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import FancyBboxPatch, Rectangle
from skimage import data

from snippets.face_recognition.alignment import ARCFACE_112, alignment_matrix
from snippets.face_recognition.digits import digit_identities, embed, train_embedding
from snippets.face_recognition.detect_align import (detect_faces, landmarks_from_box, tilt_photo,
                                                    warp_to_template)
from snippets.face_recognition.margins import margin_logits
from snippets.face_recognition.metrics import pair_scores, roc, synthetic_embeddings, tar_at_far
from snippets.face_recognition.toy2d import (class_directions, mean_intra_class_angle, smallest_gap,
                                             train_2d)

TEXT = {
    "zh": {
        "photo": "原图：检测框与 5 个近似关键点", "tilted": "同一张图旋转 20°、缩小到 0.8",
        "aligned": "对齐到 112×112 模板", "from_tilted": "从旋转后的图对齐",
        "detect": "人脸检测\n（LBP 级联）", "align": "5 点相似变换\n对齐到 112×112",
        "embed": "特征网络\n→ 512 维单位向量", "compare": "余弦相似度\n与阈值比较",
        "verify": "1:1 验证\n是不是同一个人？", "identify": "1:N 识别\n是库里的谁？\n还是陌生人？",
        "train": "训练：softmax / 三元组 / center loss /\nSphereFace / CosFace / ArcFace",
        "softmax": "softmax", "arcface": "ArcFace（s = 64，m = 0.5）",
        "angle": "类内平均夹角 {a:.2f}°，最小类间间隔 {g:.1f}°",
        "theta": "特征与本类权重的夹角 θ（度）", "logit": "目标类 logit / s",
        "raw": "cos(θ + m) 原样", "fallback": "ArcFace（θ + m > π 时退回）",
        "easy": "ArcFace easy margin", "far": "误识率 FAR（冒名对被接受的比例）",
        "tar": "通过率 TAR（同一人被接受的比例）", "roc": "合成嵌入上的 ROC",
        "known": "已知数字 0–6 的新图像", "new": "没见过的数字 7–9",
        "pixels": "原始像素（不训练）", "digit_far": "误识率 FAR（冒名对被接受的比例，对数轴）",
        "digit_tar": "通过率 TAR",
    },
    "en": {
        "photo": "photo: detection box and 5 approximate points", "tilted": "the same photo turned 20°, scaled 0.8",
        "aligned": "aligned to the\n112×112 template", "from_tilted": "aligned from\nthe turned photo",
        "detect": "face detection\n(LBP cascade)", "align": "5-point similarity\nto 112×112",
        "embed": "embedding network\n→ 512-d unit vector", "compare": "cosine similarity\nvs threshold",
        "verify": "1:1 verification\nsame person?", "identify": "1:N identification\nwho in the gallery?\nor unknown?",
        "train": "training: softmax / triplet / center loss /\nSphereFace / CosFace / ArcFace",
        "softmax": "softmax", "arcface": "ArcFace (s = 64, m = 0.5)",
        "angle": "mean angle to own class {a:.2f}°, smallest gap {g:.1f}°",
        "theta": "angle θ between feature and its class weight (degrees)", "logit": "target logit / s",
        "raw": "cos(θ + m) as is", "fallback": "ArcFace (fallback once θ + m > π)",
        "easy": "ArcFace easy margin", "far": "FAR (share of impostor pairs accepted)",
        "tar": "TAR (share of genuine pairs accepted)", "roc": "ROC on synthetic embeddings",
        "known": "known digits 0–6, new images", "new": "new digits 7–9, never trained on",
        "pixels": "raw pixels (no training)", "digit_far": "FAR (share of impostor pairs accepted, log scale)",
        "digit_tar": "TAR",
    },
}
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


def _photo_and_points():
    photo = data.astronaut()
    box = detect_faces(photo)[0]
    return photo, box, landmarks_from_box(box)


def alignment(lang: str):
    t = TEXT[lang]
    photo, box, points = _photo_and_points()
    tilted, known = tilt_photo(photo, degrees=20, scale=0.8, shift=(150, -40))
    moved = points @ known[:, :2].T + known[:, 2]
    crops = [warp_to_template(photo, alignment_matrix(points)),
             warp_to_template(tilted, alignment_matrix(moved))]
    fig, axes = plt.subplots(1, 4, figsize=(8.6, 2.9), gridspec_kw={"width_ratios": [1, 1, 0.6, 0.6]})
    x, y, w, h = box
    axes[0].imshow(photo[20:260, 110:350], extent=(110, 350, 260, 20))
    axes[0].add_patch(Rectangle((x, y), w, h, fill=False, ec="#ffeb3b", lw=1.5))
    axes[0].plot(points[:, 0], points[:, 1], "o", ms=4, mfc="none", mec="#00e676", mew=1.5)
    axes[0].set_title(t["photo"], fontsize=9)
    axes[1].imshow(tilted)
    axes[1].plot(moved[:, 0], moved[:, 1], "o", ms=3, mfc="none", mec="#00e676", mew=1.2)
    axes[1].set_title(t["tilted"], fontsize=9)
    for ax, crop, title in zip(axes[2:], crops, (t["aligned"], t["from_tilted"]), strict=True):
        ax.imshow(crop)
        ax.plot(ARCFACE_112[:, 0], ARCFACE_112[:, 1], "+", ms=6, color="#00e676", mew=1.2)
        ax.set_title(title, fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def _box(ax, x, y, text, w=1.9, h=0.9, fc="#e8eaf6", ec="#3f51b5"):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05", fc=fc, ec=ec))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, x0, y0, x1, y1):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={"arrowstyle": "->", "color": "#444"})


def pipeline(lang: str):
    t = TEXT[lang]
    photo, box, points = _photo_and_points()
    crop = warp_to_template(photo, alignment_matrix(points))
    fig, ax = plt.subplots(figsize=(8.8, 3.4))
    ax.set_xlim(0, 12.3)
    ax.set_ylim(0, 4.4)
    ax.axis("off")
    ax.imshow(photo[30:250, 130:330], extent=(0.1, 1.7, 1.2, 3.0))
    x, y, w, h = box
    ax.add_patch(Rectangle((0.1 + (x - 130) / 200 * 1.6, 3.0 - (y - 30 + h) / 220 * 1.8),
                           w / 200 * 1.6, h / 220 * 1.8, fill=False, ec="#ffeb3b", lw=1.2))
    _arrow(ax, 1.75, 2.1, 2.15, 2.1)
    _box(ax, 3.1, 2.1, t["detect"])
    _arrow(ax, 4.05, 2.1, 4.45, 2.1)
    _box(ax, 5.4, 3.3, t["align"])
    ax.imshow(crop, extent=(4.85, 5.95, 0.6, 1.7 + 0.0))
    _arrow(ax, 5.4, 2.85, 5.4, 1.75)
    _arrow(ax, 6.0, 1.15, 6.5, 2.0)
    _box(ax, 7.45, 2.1, t["embed"])
    _arrow(ax, 8.4, 2.1, 8.8, 2.1)
    _box(ax, 9.75, 2.1, t["compare"])
    _arrow(ax, 10.7, 2.3, 11.0, 3.1)
    _arrow(ax, 10.7, 1.9, 11.0, 1.1)
    _box(ax, 11.4, 3.45, t["verify"], w=1.6, fc="#fff3e0", ec="#ef6c00")
    _box(ax, 11.4, 0.75, t["identify"], w=1.6, h=1.1, fc="#fff3e0", ec="#ef6c00")
    ax.text(7.45, 0.95, t["train"], ha="center", va="center", fontsize=8, color="#555")
    _arrow(ax, 7.45, 1.25, 7.45, 1.6)
    ax.set_aspect("auto")  # imshow made it "equal"; the extents already keep proportions
    fig.tight_layout()
    return fig


def features_2d(lang: str):
    t = TEXT[lang]
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.0))
    for ax, kind in zip(axes, ("softmax", "arcface"), strict=True):
        feats, labels = train_2d(kind)
        colors = [COLORS[int(c)] for c in labels]
        ax.scatter(feats[:, 0].numpy(), feats[:, 1].numpy(), c=colors, s=3, linewidths=0)
        reach = float(feats.norm(dim=1).max())
        for c, d in enumerate(class_directions(feats, labels)):
            ax.plot([0, reach * float(d[0])], [0, reach * float(d[1])], color=COLORS[c], lw=0.8)
        ax.set_aspect("equal")
        ax.set_title(t[kind] + "\n" + t["angle"].format(a=mean_intra_class_angle(feats, labels),
                                                        g=smallest_gap(feats, labels)), fontsize=9)
        ax.tick_params(labelsize=8)
    fig.tight_layout()
    return fig


def target_logits(lang: str):
    t = TEXT[lang]
    theta = torch.linspace(0, math.pi, 721, dtype=torch.float64)
    cosine, labels = torch.cos(theta)[:, None], torch.zeros(721, dtype=torch.long)
    deg = torch.rad2deg(theta).numpy()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    curves = [("softmax, m = 0", "softmax", 0.0, {}, "-"),
              ("SphereFace, m = 4", "sphereface", 4, {}, "-"),
              ("CosFace, m = 0.35", "cosface", 0.35, {}, "-"),
              (t["fallback"] + ", m = 0.5", "arcface", 0.5, {}, "-"),
              (t["easy"] + ", m = 0.5", "arcface", 0.5, {"easy_margin": True}, ":")]
    for (label, kind, m, extra, style), color in zip(curves, COLORS, strict=False):
        y = margin_logits(cosine, labels, kind, s=1.0, m=m, **extra)[:, 0]
        ax.plot(deg, y.numpy(), style, color=color, label=label, lw=1.6)
    ax.plot(deg, torch.cos(theta + 0.5).numpy(), "--", color="#7f7f7f", lw=1.2, label=t["raw"])
    ax.set_ylim(-2.0, 1.05)
    ax.set_xlim(0, 180)
    ax.set_xticks(range(0, 181, 30))
    ax.set_xlabel(t["theta"])
    ax.set_ylabel(t["logit"])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def roc_curve(lang: str):
    t = TEXT[lang]
    genuine, impostor = pair_scores(*synthetic_embeddings())
    _, far, tar = roc(genuine, impostor)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    keep = far > 0
    ax.plot(far[keep], tar[keep], color=COLORS[0], lw=1.6)
    for target in (1e-4, 1e-3, 1e-2, 1e-1):
        value, _ = tar_at_far(genuine, impostor, target)
        ax.plot([target], [value], "o", color=COLORS[3], ms=4)
        ax.annotate(f"{value:.3f}", (target, value), textcoords="offset points", xytext=(4, -12),
                    fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(1e-5, 1)
    ax.set_ylim(0.5, 1.01)
    ax.set_xlabel(t["far"])
    ax.set_ylabel(t["tar"])
    ax.set_title(t["roc"], fontsize=10)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fig


def digits_roc(lang: str):
    t = TEXT[lang]
    train, known, new = digit_identities()
    nets = {loss: train_embedding(*train, loss=loss)[0] for loss in ("softmax", "arcface")}
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.6), sharey=True)
    for ax, (x, y), title in zip(axes, (known, new), (t["known"], t["new"]), strict=True):
        curves = [(t["pixels"], x / np.linalg.norm(x, axis=1, keepdims=True), "--", "#7f7f7f")]
        curves += [(t[loss], embed(net, x), "-", color)
                   for (loss, net), color in zip(nets.items(), COLORS, strict=False)]
        for label, emb, style, color in curves:
            genuine, impostor = pair_scores(emb, y)
            _, far, tar = roc(genuine, impostor)
            # TAR at 300 FARs from 1/N (below it nothing can be measured) to 1: the best
            # operating point with FAR <= each, as tar_at_far picks it (a small SVG)
            grid = np.logspace(np.log10(1 / len(impostor)), 0, 300)
            grid[0] = 1 / len(impostor)
            last = np.searchsorted(far, grid, side="right") - 1  # -1: no point has FAR <= it
            best = np.where(last >= 0, tar[last.clip(0)], 0.0)
            ax.plot(grid, best, style, color=color, lw=1.6, label=label, drawstyle="steps-post")
        ax.set_xscale("log")
        ax.set_xlim(1e-5, 1)
        ax.set_ylim(0, 1.01)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(t["digit_far"], fontsize=8)
        ax.grid(alpha=0.3, which="both")
        ax.tick_params(labelsize=8)
    axes[0].set_ylabel(t["digit_tar"])
    axes[1].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


FIGURES = {"pipeline": pipeline, "alignment": alignment, "features-2d": features_2d,
           "target-logits": target_logits, "roc": roc_curve, "digits-roc": digits_roc}

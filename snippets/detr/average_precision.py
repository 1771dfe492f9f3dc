"""COCO-style average precision: AP over IoU 0.50:0.05:0.95, AP50 and AP75."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.evaluate import postprocess
from snippets.detr.model import build_detr
from snippets.detr.shapes import make_batch, make_image

# --8<-- [start:coco_ap]
import numpy as np

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)  # 0.50, 0.55, ..., 0.95
RECALL_POINTS = np.linspace(0, 1, 101)  # 0.00, 0.01, ..., 1.00


def as_boxes(boxes, what):
    """(K, 4) float64 boxes x0, y0, x1, y1, or a ValueError that says what is wrong."""
    boxes = np.asarray(boxes, dtype=np.float64)
    if boxes.size == 0:
        return boxes.reshape(0, 4)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"{what}: boxes must have shape (K, 4), got {boxes.shape}")
    bad = np.flatnonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))
    if len(bad):
        raise ValueError(f"{what}: box {bad[0]} = {boxes[bad[0]].tolist()} has x1 < x0 or "
                         "y1 < y0; boxes are (x0, y0, x1, y1)")
    return boxes


def pairwise_iou(a, b):
    """IoU of every box of a (K, 4) with every box of b (M, 4)."""
    width = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    height = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = width.clip(min=0) * height.clip(min=0)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / (area_a[:, None] + area_b[None, :] - inter)


def match(boxes, scores, objects, thresholds, max_detections):
    """One image, one class: (scores, hits) of its detections in order of score.

    hits[t, k] is True when detection k, taking its turn by score, finds an object not yet
    matched at threshold t with IoU >= t; it takes the one it overlaps most.
    """
    order = np.argsort(-scores, kind="stable")[:max_detections]
    iou = pairwise_iou(boxes[order], objects)
    hits = np.zeros((len(thresholds), len(order)), dtype=bool)
    for t, threshold in enumerate(thresholds):
        free = np.ones(len(objects), dtype=bool)
        for k in range(len(order)):
            candidates = np.where(free & (iou[k] >= threshold), iou[k], -1.0)
            if len(objects) and candidates.max() >= 0:
                free[candidates.argmax()] = False
                hits[t, k] = True
    return scores[order], hits


def precision_at_recall_points(hits, objects):
    """101-point interpolated precision of detections already sorted by score."""
    if len(hits) == 0:
        return np.zeros(len(RECALL_POINTS))  # nothing detected: precision 0 everywhere
    true_positives = np.cumsum(hits)
    recall = true_positives / objects
    precision = true_positives / np.arange(1, len(hits) + 1)
    # made monotone from the right: the best precision at this recall or any higher one
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    reached = recall[None, :] >= RECALL_POINTS[:, None]  # (101, K)
    first = reached.argmax(axis=1)
    return np.where(reached.any(axis=1), envelope[first], 0.0)  # 0 beyond the last recall


def coco_ap(detections, ground_truth, max_detections=100):
    """AP (mean over IoU 0.50:0.05:0.95 and over classes), AP50 and AP75, COCO's way.

    At most max_detections per image and class are ranked, the best-scored ones.

    detections: per image a dict of boxes (K, 4) x0 y0 x1 y1, scores (K,), labels (K,);
    ground_truth: per image a dict of boxes (M, 4) and labels (M,). A class counts only
    if it has objects. No crowd regions, no area ranges: every object counts.
    """
    if len(detections) != len(ground_truth):
        raise ValueError(f"detections for {len(detections)} images, ground truth for "
                         f"{len(ground_truth)}: one entry per image in each")
    images = []
    for i, (found, truth) in enumerate(zip(detections, ground_truth, strict=True)):
        boxes = as_boxes(found["boxes"], f"image {i}, detections")
        scores, labels = np.asarray(found["scores"], float), np.asarray(found["labels"])
        objects = as_boxes(truth["boxes"], f"image {i}, ground truth")
        object_labels = np.asarray(truth["labels"])
        if not len(boxes) == len(scores) == len(labels):
            raise ValueError(f"image {i}: {len(boxes)} detection boxes, {len(scores)} scores and "
                             f"{len(labels)} labels; they must be the same length")
        if len(objects) != len(object_labels):
            raise ValueError(f"image {i}: {len(objects)} ground-truth boxes and "
                             f"{len(object_labels)} labels; they must be the same length")
        images.append((boxes, scores, labels, objects, object_labels))

    classes = sorted({c for *_, object_labels in images for c in object_labels.tolist()})
    if not classes:
        raise ValueError("the ground truth has no objects: AP is undefined")
    per_class = np.zeros((len(classes), len(IOU_THRESHOLDS)))
    for c, cls in enumerate(classes):
        all_scores, all_hits, count = [], [], 0
        for boxes, scores, labels, objects, object_labels in images:
            mine = labels == cls
            theirs = objects[object_labels == cls]
            s, h = match(boxes[mine], scores[mine], theirs, IOU_THRESHOLDS, max_detections)
            all_scores.append(s)
            all_hits.append(h)
            count += len(theirs)
        order = np.argsort(-np.concatenate(all_scores), kind="stable")  # pooled over images
        hits = np.concatenate(all_hits, axis=1)[:, order]
        for t in range(len(IOU_THRESHOLDS)):
            per_class[c, t] = precision_at_recall_points(hits[t], count).mean()
    # AP50 and AP75: the columns of IoU 0.5 and 0.75 (indices 0 and 5)
    return {"AP": per_class.mean(), "AP50": per_class[:, 0].mean(), "AP75": per_class[:, 5].mean()}


if __name__ == "__main__":
    # Cases to check by hand: one image, class 0, objects at (0, 0, 10, 10) and (20, 0, 30, 10).
    one, two = [[0, 0, 10, 10]], [[0, 0, 10, 10], [20, 0, 30, 10]]
    away = [50, 50, 60, 60]  # overlaps nothing: a false positive

    def ap(boxes, scores, objects):
        found = {"boxes": boxes, "scores": scores, "labels": [0] * len(scores)}
        return coco_ap([found], [{"boxes": objects, "labels": [0] * len(objects)}])["AP"]

    print(f"one perfect detection:                     AP {ap(one, [0.9], one):.3f}")
    print(f"a false positive above the true positive:  AP {ap([away, *one], [0.9, 0.8], one):.3f}")
    print(f"hit, false positive, hit (two objects):    AP "
          f"{ap([two[0], away, two[1]], [0.9, 0.8, 0.7], two):.3f}")
    print(f"no detections:                             AP {ap([], [], one):.3f}")
# --8<-- [end:coco_ap]


# needs: model.py:configs, shapes.py:shapes_dataset, evaluate.py:postprocess, coco_ap
# --8<-- [start:shapes_ap]
import torch

if __name__ == "__main__":
    torch.set_num_threads(1)
    checkpoint = torch.load("shapes-detr.pt", map_location="cpu", weights_only=True)
    config = checkpoint["config"]
    model = build_detr(config).eval()
    model.load_state_dict(checkpoint["model"], strict=True)

    # 200 held-out images (seed 2), every query ranked by its best class probability, as
    # COCO evaluates DETR; then only the queries that pass the model's threshold.
    images, _ = make_batch(2, 0, 200)
    with torch.no_grad():
        outputs = model(images)
    truth = [dict(zip(("boxes", "labels"), make_image(2, i)[1:], strict=True)) for i in range(200)]
    for threshold in (0.0, config["threshold"]):
        found = postprocess(outputs, [(64, 64)] * 200, threshold)
        found = [{k: v.double().numpy() for k, v in d.items()} for d in found]
        result = coco_ap(found, truth)
        kept = sum(len(d["scores"]) for d in found)
        print(f"p >= {threshold}: {kept:4d} detections; " +
              ", ".join(f"{k} {v:.3f}" for k, v in result.items()))
# --8<-- [end:shapes_ap]

"""From raw outputs to detections, and precision / recall at an IoU threshold."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.boxes import box_cxcywh_to_xyxy, box_iou
from snippets.detr.shapes import make_batch, make_image

# needs: boxes.py:box_formats
# --8<-- [start:postprocess]
import torch


def postprocess(outputs, sizes, threshold=0.7):
    """Keep the queries whose best real class has probability >= threshold.

    No NMS: the set loss has taught the queries not to duplicate each other.
    sizes: (height, width) of every image, to turn normalized boxes into pixels.
    Returns one dict per image: scores (K,), labels (K,), boxes (K, 4) xyxy in pixels.
    """
    prob = outputs["pred_logits"].softmax(-1)[..., :-1]  # drop the "no object" column
    scores, labels = prob.max(-1)
    results = []
    per_image = zip(scores, labels, outputs["pred_boxes"], sizes, strict=True)
    for s, lab, box, (h, w) in per_image:
        keep = s >= threshold
        xyxy = box_cxcywh_to_xyxy(box[keep]) * torch.tensor([w, h, w, h], dtype=box.dtype)
        order = s[keep].argsort(descending=True)
        results.append({"scores": s[keep][order], "labels": lab[keep][order],
                        "boxes": xyxy[order]})
    return results
# --8<-- [end:postprocess]


# needs: boxes.py:generalized_iou
# --8<-- [start:precision_recall]
def count_matches(detections, gt_boxes, gt_labels, iou_threshold=0.5):
    """Greedy matching by score: a detection is a true positive when it overlaps a
    not-yet-matched object of the same class with IoU >= iou_threshold."""
    if len(detections["boxes"]) == 0 or len(gt_boxes) == 0:
        return 0
    iou, _ = box_iou(detections["boxes"], gt_boxes)
    taken, hits = set(), 0
    for d in range(len(iou)):  # detections are sorted by score
        same = (gt_labels == detections["labels"][d]).nonzero().flatten().tolist()
        free = [j for j in same if j not in taken and iou[d, j] >= iou_threshold]
        if free:
            taken.add(max(free, key=lambda j: iou[d, j].item()))
            hits += 1
    return hits


def precision_recall(all_detections, all_boxes, all_labels, iou_threshold=0.5):
    """Over a data set: precision = TP / detections, recall = TP / objects."""
    triples = zip(all_detections, all_boxes, all_labels, strict=True)
    tp = sum(count_matches(d, b, lab, iou_threshold) for d, b, lab in triples)
    found = sum(len(d["boxes"]) for d in all_detections)
    objects = sum(len(b) for b in all_boxes)
    return tp / max(found, 1), tp / max(objects, 1)
# --8<-- [end:precision_recall]


# needs: shapes.py:shapes_dataset, postprocess, precision_recall
# --8<-- [start:evaluate_shapes]
import torch


def evaluate_shapes(model, seed, count, threshold=0.7, size=64, batch=50):
    """Precision and recall at IoU 0.5 of a shapes model on `count` generated images."""
    model.eval()
    detections, boxes, labels = [], [], []
    with torch.no_grad():
        for start in range(0, count, batch):
            n = min(batch, count - start)
            images, _ = make_batch(seed, start, n, size)
            detections += postprocess(model(images), [(size, size)] * n, threshold)
            for i in range(start, start + n):
                _, b, lab = make_image(seed, i, size)
                boxes.append(torch.from_numpy(b))
                labels.append(torch.from_numpy(lab).long())
    return precision_recall(detections, boxes, labels)
# --8<-- [end:evaluate_shapes]

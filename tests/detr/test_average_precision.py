"""COCO-style AP: the article's coco_ap against a second implementation written the way
cocoapi's COCOeval is (evaluateImg per image and category, then accumulate with
np.searchsorted over np.linspace(0, 1, 101)), hand-computed cases, bad input, and the
shapes model's numbers."""

import numpy as np
import pytest

from snippets.detr.average_precision import coco_ap
from snippets.detr.evaluate import postprocess


def cocoapi_style(detections, ground_truth, max_dets=100):
    """Structured as pycocotools' COCOeval.evaluate / evaluateImg / accumulate / summarize,
    for boxes, no crowd, area range "all". Boxes are turned into COCO's (x, y, w, h)."""
    iou_thrs = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
    rec_thrs = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)

    def xywh(boxes):
        return [[x0, y0, x1 - x0, y1 - y0] for x0, y0, x1, y1 in np.asarray(boxes, float).reshape(-1, 4).tolist()]

    gts, dts = {}, {}  # (image, category) -> list of annotations, as COCOeval._prepare builds them
    for img, (d, g) in enumerate(zip(detections, ground_truth, strict=True)):
        for box, cat in zip(xywh(g["boxes"]), np.asarray(g["labels"]).tolist(), strict=True):
            gts.setdefault((img, cat), []).append({"bbox": box})
        for box, score, cat in zip(xywh(d["boxes"]), np.asarray(d["scores"]).tolist(),
                                   np.asarray(d["labels"]).tolist(), strict=True):
            dts.setdefault((img, cat), []).append({"bbox": box, "score": score})
    img_ids = list(range(len(ground_truth)))
    cat_ids = sorted({c for _, c in gts} | {c for _, c in dts})

    def iou(d, g):  # maskApi.c bbIou, no crowd
        out = np.zeros((len(d), len(g)))
        for i, (dx, dy, dw, dh) in enumerate(d):
            for j, (gx, gy, gw, gh) in enumerate(g):
                w = min(dx + dw, gx + gw) - max(dx, gx)
                h = min(dy + dh, gy + gh) - max(dy, gy)
                if w <= 0 or h <= 0:
                    continue
                inter = w * h
                out[i, j] = inter / (dw * dh + gw * gh - inter)
        return out

    def evaluate_img(img, cat):
        gt, dt = gts.get((img, cat), []), dts.get((img, cat), [])
        if len(gt) == 0 and len(dt) == 0:
            return None
        dtind = np.argsort([-d["score"] for d in dt], kind="mergesort")
        dt = [dt[i] for i in dtind[0:max_dets]]
        ious = iou([d["bbox"] for d in dt], [g["bbox"] for g in gt])
        T, G, D = len(iou_thrs), len(gt), len(dt)
        gtm, dtm = np.zeros((T, G)), np.zeros((T, D))
        for tind, t in enumerate(iou_thrs):
            for dind in range(D):
                best, m = min([t, 1 - 1e-10]), -1
                for gind in range(G):
                    if gtm[tind, gind] > 0:
                        continue
                    if ious[dind, gind] < best:
                        continue
                    best, m = ious[dind, gind], gind
                if m == -1:
                    continue
                dtm[tind, dind], gtm[tind, m] = 1, 1
        return {"dtMatches": dtm, "dtScores": [d["score"] for d in dt], "npig": G}

    eval_imgs = {(c, i): evaluate_img(i, c) for c in cat_ids for i in img_ids}
    T, R, K = len(iou_thrs), len(rec_thrs), len(cat_ids)
    precision = -np.ones((T, R, K))
    for k, cat in enumerate(cat_ids):
        E = [e for e in (eval_imgs[cat, i] for i in img_ids) if e is not None]
        if len(E) == 0:
            continue
        dt_scores = np.concatenate([e["dtScores"][0:max_dets] for e in E])
        inds = np.argsort(-dt_scores, kind="mergesort")
        dtm = np.concatenate([e["dtMatches"][:, 0:max_dets] for e in E], axis=1)[:, inds]
        npig = sum(e["npig"] for e in E)
        if npig == 0:
            continue
        tps, fps = dtm.astype(bool), np.logical_not(dtm)
        tp_sum = np.cumsum(tps, axis=1).astype(dtype=float)
        fp_sum = np.cumsum(fps, axis=1).astype(dtype=float)
        for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum, strict=True)):
            nd = len(tp)
            rc = tp / npig
            pr = tp / (fp + tp + np.spacing(1))
            q = np.zeros((R,)).tolist()
            pr = pr.tolist()
            for i in range(nd - 1, 0, -1):
                if pr[i] > pr[i - 1]:
                    pr[i - 1] = pr[i]
            inds = np.searchsorted(rc, rec_thrs, side="left")
            try:
                for ri, pi in enumerate(inds):
                    q[ri] = pr[pi]
            except IndexError:
                pass
            precision[t, :, k] = np.array(q)

    def summarize(iou_thr=None):
        s = precision if iou_thr is None else precision[np.where(iou_thr == iou_thrs)[0]]
        return np.mean(s[s > -1]) if len(s[s > -1]) else -1

    return {"AP": summarize(), "AP50": summarize(0.5), "AP75": summarize(0.75)}


def random_case(rng):
    """A few images with 0-4 objects of 3 classes; detections: jittered copies of objects
    (some duplicated, some with the wrong class), random boxes, scores with ties."""
    detections, truth = [], []
    for _ in range(rng.integers(1, 6)):
        n = rng.integers(0, 5)
        xy = rng.uniform(0, 80, (n, 2))
        objects = np.concatenate([xy, xy + rng.uniform(5, 30, (n, 2))], axis=1)
        labels = rng.integers(0, 3, n)
        boxes, found = [], []
        for box, label in zip(objects, labels, strict=True):
            for _ in range(rng.integers(0, 3)):
                boxes.append(box + rng.normal(0, rng.choice([0.5, 2.0, 5.0]), 4))
                found.append(label if rng.random() < 0.8 else rng.integers(0, 3))
        for _ in range(rng.integers(0, 3)):
            x, y = rng.uniform(0, 80, 2)
            boxes.append([x, y, x + rng.uniform(5, 30), y + rng.uniform(5, 30)])
            found.append(rng.integers(0, 3))
        boxes = np.array(boxes, dtype=float).reshape(-1, 4)
        boxes[:, 2:] = np.maximum(boxes[:, 2:], boxes[:, :2])  # jitter may flip a corner
        scores = np.round(rng.uniform(0, 1, len(boxes)), 1)  # one decimal: ties happen
        detections.append({"boxes": boxes, "scores": scores, "labels": np.array(found, dtype=int)})
        truth.append({"boxes": objects, "labels": labels})
    return detections, truth


def test_coco_ap_agrees_with_a_cocoapi_style_implementation_on_random_cases():
    rng = np.random.default_rng(14)
    compared = 0
    for _ in range(200):
        detections, truth = random_case(rng)
        if not any(len(t["labels"]) for t in truth):
            with pytest.raises(ValueError, match="no objects"):
                coco_ap(detections, truth)
            continue
        ours, theirs = coco_ap(detections, truth), cocoapi_style(detections, truth)
        for key in ("AP", "AP50", "AP75"):
            assert abs(ours[key] - theirs[key]) < 1e-12, (key, ours, theirs)
        compared += 1
    assert compared > 150


def test_max_detections_keeps_the_best_scored_per_image_and_class_as_cocoapi():
    rng = np.random.default_rng(5)
    for _ in range(30):
        detections, truth = random_case(rng)
        if any(len(t["labels"]) for t in truth):
            ours, theirs = coco_ap(detections, truth, max_detections=1), cocoapi_style(detections, truth, max_dets=1)
            assert abs(ours["AP"] - theirs["AP"]) < 1e-12


def test_dropping_the_lowest_scored_detections_never_raises_ap():
    # they come last in the ranking: they can only add recall, never lower an earlier precision
    rng = np.random.default_rng(7)
    for _ in range(60):
        detections, truth = random_case(rng)
        if not any(len(t["labels"]) for t in truth):
            continue
        cut = [{k: v[d["scores"] > 0.5] for k, v in d.items()} for d in detections]
        every, kept = coco_ap(detections, truth), coco_ap(cut, truth)
        assert all(kept[k] <= every[k] + 1e-12 for k in every)


def ap(boxes, scores, objects):
    found = {"boxes": boxes, "scores": scores, "labels": [0] * len(scores)}
    return coco_ap([found], [{"boxes": objects, "labels": [0] * len(objects)}])


ONE, TWO, AWAY = [[0, 0, 10, 10]], [[0, 0, 10, 10], [20, 0, 30, 10]], [50, 50, 60, 60]


def test_one_perfect_detection_has_ap_one():
    assert ap(ONE, [0.9], ONE) == {"AP": 1.0, "AP50": 1.0, "AP75": 1.0}


def test_a_false_positive_ranked_above_the_only_true_positive_halves_ap():
    # ranked: FP (recall 0, precision 0), TP (recall 1, precision 1/2); the envelope is 1/2
    # at every recall point from 0 to 1.
    assert ap([AWAY, *ONE], [0.9, 0.8], ONE)["AP"] == 0.5
    assert ap([*ONE, AWAY], [0.9, 0.8], ONE)["AP"] == 1.0  # below it, the FP costs nothing


def test_hit_miss_hit_is_51_points_at_1_and_50_at_two_thirds():
    # recall 1/2 at precision 1, then recall 1 at precision 2/3: the recall points 0.00-0.50
    # (51 of them) get 1, the points 0.51-1.00 (50) get 2/3.
    result = ap([TWO[0], AWAY, TWO[1]], [0.9, 0.8, 0.7], TWO)["AP"]
    assert result == pytest.approx((51 + 50 * 2 / 3) / 101, abs=1e-15)
    assert round(result, 3) == 0.835 and round(result, 3) != round(5 / 6, 3)  # not the area 5/6


def test_no_detections_give_ap_zero():
    assert ap([], [], ONE) == {"AP": 0.0, "AP50": 0.0, "AP75": 0.0}


def test_ap75_drops_where_the_box_is_loose():
    loose = [[0, 0, 10, 7]]  # IoU 0.7: a hit at 0.50-0.70, a miss at 0.75-0.95
    result = ap(loose, [0.9], ONE)
    assert result["AP50"] == 1.0 and result["AP75"] == 0.0 and result["AP"] == pytest.approx(0.5)


def test_bad_input_is_refused_with_a_message_naming_it():
    with pytest.raises(ValueError, match=r"image 0, detections: box 0 .* has x1 < x0"):
        ap([[10, 0, 0, 10]], [0.9], ONE)
    with pytest.raises(ValueError, match=r"image 0, ground truth: box 0 .* has x1 < x0"):
        ap(ONE, [0.9], [[10, 0, 0, 10]])
    with pytest.raises(ValueError, match="2 detection boxes, 1 scores and 2 labels"):
        coco_ap([{"boxes": TWO, "scores": [0.9], "labels": [0, 0]}], [{"boxes": ONE, "labels": [0]}])
    with pytest.raises(ValueError, match="1 ground-truth boxes and 2 labels"):
        coco_ap([{"boxes": ONE, "scores": [0.9], "labels": [0]}], [{"boxes": ONE, "labels": [0, 0]}])
    with pytest.raises(ValueError, match="detections for 1 images, ground truth for 2"):
        coco_ap([{"boxes": ONE, "scores": [0.9], "labels": [0]}], [{"boxes": ONE, "labels": [0]}] * 2)
    with pytest.raises(ValueError, match=r"shape \(K, 4\)"):
        ap([[0, 0, 10]], [0.9], ONE)


def detections_at(held_out_pass, threshold):
    outputs, _, truth = held_out_pass
    found = postprocess(outputs, [(64, 64)] * len(truth), threshold)
    return [{k: v.double().numpy() for k, v in d.items()} for d in found], truth


def test_shapes_model_ap_agrees_with_cocoapi_style(held_out_pass):
    found, truth = detections_at(held_out_pass, 0.0)
    ours, theirs = coco_ap(found, truth), cocoapi_style(found, truth)
    assert all(abs(ours[k] - theirs[k]) < 1e-12 for k in ours), (ours, theirs)
    # the looser the IoU threshold, the higher the AP; the mean over 0.50:0.95 lies below both
    assert ours["AP50"] > ours["AP75"] > ours["AP"] > 0.5


def test_the_probability_threshold_lowers_every_ap_of_the_shapes_model(held_out_pass, shapes_model):
    threshold = shapes_model[1]["threshold"]
    every, kept = coco_ap(*detections_at(held_out_pass, 0.0)), coco_ap(*detections_at(held_out_pass, threshold))
    assert all(kept[k] < every[k] for k in every), (every, kept)

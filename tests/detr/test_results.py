import torch

from snippets.detr.evaluate import evaluate_shapes
from snippets.detr.infer import WEIGHTS, load_model
from snippets.detr.results import HELD_OUT_SEED
from snippets.detr.train import TRAIN_SEED, VAL_SEED


def test_held_out_images_come_from_a_seed_training_never_used():
    assert HELD_OUT_SEED not in (TRAIN_SEED, VAL_SEED)


def test_trained_shapes_detr_reaches_090_precision_and_recall_on_held_out_images():
    torch.set_num_threads(1)
    model, config = load_model(WEIGHTS)
    precision, recall = evaluate_shapes(model, HELD_OUT_SEED, 100, threshold=config["threshold"])
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def false_positive_kinds(model, threshold, seed=HELD_OUT_SEED, count=100):
    """Count false positives: duplicates (same class, IoU >= 0.5 with an object another
    detection already took) and the rest (wrong class or place)."""
    from snippets.detr.boxes import box_iou
    from snippets.detr.evaluate import postprocess
    from snippets.detr.shapes import make_batch, make_image

    images, _ = make_batch(seed, 0, count)
    with torch.no_grad():
        found = postprocess(model(images), [(64, 64)] * count, threshold)
    duplicates = others = 0
    for index, d in enumerate(found):
        _, boxes, labels = make_image(seed, index)
        if len(d["boxes"]) == 0:
            continue
        iou, _ = box_iou(d["boxes"], torch.from_numpy(boxes))
        taken = set()
        for k in range(len(d["boxes"])):
            hits = [j for j in range(len(boxes)) if iou[k, j] >= 0.5 and labels[j] == d["labels"][k]]
            free = [j for j in hits if j not in taken]
            if free:
                taken.add(max(free, key=lambda j: iou[k, j].item()))
            elif hits:
                duplicates += 1
            else:
                others += 1
    return duplicates, others


def test_most_false_positives_are_duplicates_which_a_higher_threshold_removes():
    torch.set_num_threads(1)
    model, config = load_model(WEIGHTS)
    dup_07, other_07 = false_positive_kinds(model, 0.7)
    dup_chosen, _ = false_positive_kinds(model, config["threshold"])
    assert dup_07 > other_07
    assert dup_chosen < dup_07 / 2

import torch

from snippets.detr.evaluate import evaluate_shapes
from snippets.detr.infer import WEIGHTS, load_model
from snippets.detr.results import HELD_OUT_SEED, mean_best_iou, recall_by_object_count
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


def test_recall_drops_on_images_with_more_shapes_than_training_drew():
    # Training images hold 1 to 4 shapes; the outside_training block adds images with 5 and 6.
    torch.set_num_threads(1)
    model, config = load_model(WEIGHTS)
    by_count = recall_by_object_count(model, config, config["threshold"], seed=3, images=300, max_objects=6)
    assert sorted(by_count) == [1, 2, 3, 4, 5, 6]
    seen = min(recall for n, (_, recall) in by_count.items() if n <= 4)
    assert seen >= 0.9
    assert by_count[5][1] < seen - 0.05 and by_count[6][1] < seen - 0.05


def test_boxes_loosen_on_images_larger_than_the_training_size():
    torch.set_num_threads(1)
    model, config = load_model(WEIGHTS)
    threshold = config["threshold"]
    as_trained = mean_best_iou(model, config, threshold, HELD_OUT_SEED, 100, image_size=64)
    shrunk = mean_best_iou(model, config, threshold, HELD_OUT_SEED, 100, image_size=128)
    full = mean_best_iou(model, config, threshold, HELD_OUT_SEED, 100, image_size=128, size=128)
    assert as_trained > 0.8
    assert shrunk < as_trained / 2 and full < shrunk


def test_no_query_counts_as_a_detection_during_the_first_thousand_steps():
    history = torch.load(WEIGHTS, weights_only=True)["config"]["history"]  # step, loss, P, R, s
    early = [row for row in history if row[0] <= 1000]
    assert len(early) == 4 and all(p == 0 and r == 0 for _, _, p, r, _ in early)
    assert all(r > 0 for step, _, _, r, _ in history if step > 1000)
    # precision lags recall from then on: duplicates are learnt away last
    assert all(p < r for step, _, p, r, _ in history if step >= 2000)

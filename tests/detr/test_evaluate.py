import pytest
import torch

from snippets.detr.evaluate import count_matches, evaluate_shapes, postprocess, precision_recall


def test_postprocess_keeps_confident_queries_and_drops_no_object():
    logits = torch.tensor([[[5.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 9.0], [0.0, 0.0, 1.0, 0.0]]])
    boxes = torch.tensor([[[0.5, 0.5, 0.2, 0.4], [0.5, 0.5, 1.0, 1.0], [0.1, 0.1, 0.1, 0.1]]])
    (found,) = postprocess({"pred_logits": logits, "pred_boxes": boxes}, [(100, 200)], threshold=0.7)
    assert found["labels"].tolist() == [0]  # query 1 says "no object", query 2 is unsure
    assert torch.allclose(found["boxes"], torch.tensor([[80.0, 30.0, 120.0, 70.0]]))
    (everything,) = postprocess({"pred_logits": logits, "pred_boxes": boxes}, [(100, 200)], threshold=0.0)
    assert len(everything["scores"]) == 3 and everything["scores"].tolist() == sorted(everything["scores"].tolist(),
                                                                                       reverse=True)


def detections(boxes, labels, scores=None):
    boxes = torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)
    scores = torch.tensor(scores if scores else [1.0] * len(boxes))
    return {"boxes": boxes, "labels": torch.tensor(labels, dtype=torch.long), "scores": scores}


def test_a_detection_counts_once_and_needs_the_right_class_and_iou():
    gt_boxes, gt_labels = torch.tensor([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]]), torch.tensor([0, 1])
    assert count_matches(detections([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 1]), gt_boxes, gt_labels) == 2
    assert count_matches(detections([[0, 0, 10, 10], [20, 20, 30, 30]], [0, 0]), gt_boxes, gt_labels) == 1
    assert count_matches(detections([[0, 0, 10, 10], [0, 0, 10, 9]], [0, 0]), gt_boxes, gt_labels) == 1  # duplicate
    assert count_matches(detections([[0, 0, 10, 4]], [0]), gt_boxes, gt_labels) == 0  # IoU 0.4 < 0.5


def test_precision_and_recall_count_false_positives_and_misses():
    gt = [torch.tensor([[0.0, 0.0, 10.0, 10.0]]), torch.tensor([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]])]
    labels = [torch.tensor([0]), torch.tensor([0, 1])]
    found = [detections([[0, 0, 10, 10], [50, 50, 60, 60]], [0, 0]), detections([[20, 20, 30, 30]], [1])]
    assert precision_recall(found, gt, labels) == (pytest.approx(2 / 3), pytest.approx(2 / 3))


class Oracle(torch.nn.Module):
    """Answers with the ground truth of the images it is shown, padded with 'no object'."""

    def __init__(self, seed, queries=10, classes=3):
        super().__init__()
        self.seed, self.queries, self.classes, self.start = seed, queries, classes, 0

    def forward(self, images):
        from snippets.detr.shapes import make_batch

        _, targets = make_batch(self.seed, self.start, len(images))
        self.start += len(images)
        logits = torch.full((len(images), self.queries, self.classes + 1), -10.0)
        logits[..., -1] = 10.0
        boxes = torch.full((len(images), self.queries, 4), 0.5)
        for b, t in enumerate(targets):
            n = len(t["labels"])
            logits[b, :n, -1] = -10.0
            logits[b, torch.arange(n), t["labels"]] = 10.0
            boxes[b, :n] = t["boxes"]
        return {"pred_logits": logits, "pred_boxes": boxes}


def test_evaluate_shapes_gives_one_for_the_ground_truth_and_zero_recall_for_silence():
    assert evaluate_shapes(Oracle(seed=5), seed=5, count=30, batch=10) == (1.0, 1.0)
    silent = Oracle(seed=5, queries=10)
    silent.forward = lambda images: {"pred_logits": torch.zeros(len(images), 10, 4),
                                     "pred_boxes": torch.full((len(images), 10, 4), 0.5)}
    assert evaluate_shapes(silent, seed=5, count=10)[1] == 0.0

import torch

from snippets.detr.loss import match_batch, set_loss, set_loss_single


def example(seed=0, queries=6):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(3, queries, 4, generator=g)
    boxes = torch.rand(3, queries, 4, generator=g) * 0.4 + 0.1
    targets = [{"labels": torch.tensor(lab), "boxes": torch.rand(len(lab), 4, generator=g) * 0.4 + 0.1}
               for lab in ([0, 2], [1], [2, 2, 0])]
    return logits, boxes, targets


def test_set_loss_is_invariant_to_permuting_the_predictions():
    logits, boxes, targets = example()
    loss = set_loss_single(logits, boxes, targets)
    for seed in range(5):
        perm = torch.randperm(logits.shape[1], generator=torch.Generator().manual_seed(seed))
        assert torch.allclose(set_loss_single(logits[:, perm], boxes[:, perm], targets), loss)


def test_set_loss_is_invariant_to_permuting_the_ground_truth():
    logits, boxes, targets = example(1)
    shuffled = [{"labels": t["labels"].flip(0), "boxes": t["boxes"].flip(0)} for t in targets]
    assert torch.allclose(set_loss_single(logits, boxes, targets), set_loss_single(logits, boxes, shuffled))


def test_perfect_predictions_leave_only_the_box_free_classification_loss_near_zero():
    _, _, targets = example(2, queries=4)
    logits = torch.full((3, 4, 4), -20.0)
    logits[..., 3] = 20.0  # every query says "no object" ...
    boxes = torch.full((3, 4, 4), 0.5)
    for b, t in enumerate(targets):  # ... except one per object, exactly right
        n = len(t["labels"])
        logits[b, :n, 3] = -20.0
        logits[b, torch.arange(n), t["labels"]] = 20.0
        boxes[b, :n] = t["boxes"]
    assert set_loss_single(logits, boxes, targets).item() < 1e-6


def test_no_object_class_is_down_weighted_by_ten():
    # 5 queries, 1 object: one query is matched to class 0, four are pushed to "no object".
    # Cross entropy is a weighted mean: (1 * CE_matched + 4 * 0.1 * CE_empty) / (1 + 4 * 0.1).
    logits = torch.zeros(1, 5, 3)
    logits[0, :, 0] = 1.0
    boxes = torch.tensor([[[0.5, 0.5, 0.2, 0.2]] * 5])
    target = [{"labels": torch.tensor([0]), "boxes": torch.tensor([[0.5, 0.5, 0.2, 0.2]])}]
    loss = set_loss_single(logits, boxes, target, w_l1=0, w_giou=0)
    logp = logits[0, 0].log_softmax(-1)
    assert torch.allclose(loss, (-logp[0] + 4 * 0.1 * -logp[2]) / (1 + 4 * 0.1))
    unweighted = set_loss_single(logits, boxes, target, no_object_weight=1.0, w_l1=0, w_giou=0)
    assert torch.allclose(unweighted, (-logp[0] + 4 * -logp[2]) / 5)


def test_auxiliary_losses_add_the_same_loss_for_every_decoder_layer():
    logits, boxes, targets = example(3)
    one = set_loss_single(logits, boxes, targets)
    outputs = {"pred_logits": logits, "pred_boxes": boxes,
               "aux_outputs": [{"pred_logits": logits, "pred_boxes": boxes}] * 2}
    assert torch.allclose(set_loss(outputs, targets), 3 * one)


def test_matching_is_done_per_image():
    logits, boxes, targets = example(4)
    matches = match_batch(logits, boxes, targets)
    assert [len(cols) for _, cols in matches] == [len(t["labels"]) for t in targets]

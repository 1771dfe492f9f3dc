import pytest
import torch

from snippets.detr.boxes import box_cxcywh_to_xyxy, generalized_box_iou
from snippets.detr.matcher import brute_force_match, hungarian_match, matching_cost


@pytest.mark.parametrize("n,m", [(1, 1), (3, 2), (5, 3), (6, 6), (7, 4)])
def test_hungarian_matching_equals_brute_force_for_small_n(n, m):
    g = torch.Generator().manual_seed(10 * n + m)
    for _ in range(20):
        cost = torch.randn(n, m, generator=g)
        rows, cols = hungarian_match(cost)
        b_rows, b_cols = brute_force_match(cost)
        assert cost[rows, cols].sum().item() == pytest.approx(cost[b_rows, b_cols].sum().item(), abs=1e-6)
        assert torch.equal(rows, b_rows) and torch.equal(cols, b_cols)  # continuous costs: a unique optimum


def test_every_object_gets_exactly_one_query():
    cost = torch.rand(10, 4, generator=torch.Generator().manual_seed(0))
    rows, cols = hungarian_match(cost)
    assert sorted(cols.tolist()) == [0, 1, 2, 3]
    assert len(set(rows.tolist())) == 4


def test_matching_cost_is_class_plus_5_l1_plus_2_giou():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(6, 4, generator=g)
    boxes = torch.rand(6, 4, generator=g) * 0.4 + 0.1
    labels, targets = torch.tensor([2, 0, 1]), torch.rand(3, 4, generator=g) * 0.4 + 0.1
    cost = matching_cost(logits, boxes, labels, targets)
    prob = logits.softmax(-1)
    for i in range(6):
        for j in range(3):
            l1 = (boxes[i] - targets[j]).abs().sum()
            a, b = box_cxcywh_to_xyxy(boxes[i : i + 1]), box_cxcywh_to_xyxy(targets[j : j + 1])
            giou = generalized_box_iou(a, b)[0, 0]
            assert cost[i, j].item() == pytest.approx((-prob[i, labels[j]] + 5 * l1 - 2 * giou).item(), abs=1e-5)


def test_a_query_that_fits_an_object_is_matched_to_it():
    targets = torch.tensor([[0.3, 0.3, 0.2, 0.2], [0.7, 0.7, 0.1, 0.3]])
    boxes = torch.tensor([[0.5, 0.5, 0.5, 0.5], [0.7, 0.7, 0.1, 0.3], [0.1, 0.9, 0.1, 0.1], [0.3, 0.3, 0.2, 0.2]])
    logits = torch.zeros(4, 3)
    rows, cols = hungarian_match(matching_cost(logits, boxes, torch.tensor([0, 1]), targets))
    assert dict(zip(cols.tolist(), rows.tolist(), strict=True)) == {0: 3, 1: 1}

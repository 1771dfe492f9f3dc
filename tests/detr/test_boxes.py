import torch

from snippets.detr.boxes import box_cxcywh_to_xyxy, box_iou, box_xyxy_to_cxcywh, generalized_box_iou


def random_xyxy(n, seed):
    g = torch.Generator().manual_seed(seed)
    corner = torch.rand(n, 2, generator=g)
    size = torch.rand(n, 2, generator=g) * 0.5 + 0.01
    return torch.cat([corner, corner + size], dim=1)


def test_box_formats_round_trip():
    xyxy = random_xyxy(100, 0)
    assert torch.allclose(box_cxcywh_to_xyxy(box_xyxy_to_cxcywh(xyxy)), xyxy, atol=1e-6)
    cxcywh = box_xyxy_to_cxcywh(xyxy)
    assert torch.allclose(box_xyxy_to_cxcywh(box_cxcywh_to_xyxy(cxcywh)), cxcywh, atol=1e-6)


def test_cxcywh_is_centre_and_size():
    xyxy = box_cxcywh_to_xyxy(torch.tensor([0.5, 0.5, 0.2, 0.4]))
    assert torch.allclose(xyxy, torch.tensor([0.4, 0.3, 0.6, 0.7]))


def test_giou_of_identical_boxes_is_one():
    boxes = random_xyxy(20, 1)
    assert torch.allclose(torch.diag(generalized_box_iou(boxes, boxes)), torch.ones(20))


def test_giou_equals_iou_for_nested_boxes():
    outer = random_xyxy(20, 2)
    w, h = outer[:, 2] - outer[:, 0], outer[:, 3] - outer[:, 1]
    inner = torch.stack([outer[:, 0] + 0.1 * w, outer[:, 1] + 0.2 * h, outer[:, 2] - 0.3 * w, outer[:, 3] - 0.1 * h], 1)
    iou = torch.diag(box_iou(outer, inner)[0])
    assert torch.allclose(torch.diag(generalized_box_iou(outer, inner)), iou)
    assert torch.allclose(iou, (0.6 * 0.7) * torch.ones(20))


def test_giou_lies_in_minus_one_to_one_and_below_iou():
    a, b = random_xyxy(200, 3), random_xyxy(150, 4)
    giou, iou = generalized_box_iou(a, b), box_iou(a, b)[0]
    assert giou.min() >= -1 and giou.max() <= 1
    assert (giou <= iou + 1e-6).all()


def test_giou_is_symmetric():
    a, b = random_xyxy(30, 5), random_xyxy(40, 6)
    assert torch.allclose(generalized_box_iou(a, b), generalized_box_iou(b, a).T)


def test_giou_tends_to_minus_one_as_disjoint_boxes_move_apart():
    unit = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
    values = [generalized_box_iou(unit, torch.tensor([[d, 0.0, d + 1.0, 1.0]])).item() for d in (2, 10, 100, 10_000)]
    assert values == sorted(values, reverse=True)
    assert all(v < 0 for v in values) and values[-1] < -0.999
    # IoU cannot tell these apart: it is 0 for every one of them
    assert box_iou(unit, torch.tensor([[2.0, 0.0, 3.0, 1.0], [100.0, 0.0, 101.0, 1.0]]))[0].eq(0).all()

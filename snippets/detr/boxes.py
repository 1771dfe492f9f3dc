"""Box formats and (generalized) IoU: the geometry of DETR's loss and matcher."""

# --8<-- [start:box_formats]
import torch


def box_cxcywh_to_xyxy(boxes):
    """(cx, cy, w, h) -> (x0, y0, x1, y1), for any shape (..., 4)."""
    cx, cy, w, h = boxes.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)


def box_xyxy_to_cxcywh(boxes):
    """(x0, y0, x1, y1) -> (cx, cy, w, h)."""
    x0, y0, x1, y1 = boxes.unbind(-1)
    return torch.stack([(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0], dim=-1)


if __name__ == "__main__":
    # DETR's boxes: centre, width and height, relative to the image size
    cxcywh = torch.tensor([[0.50, 0.50, 0.20, 0.40], [0.25, 0.75, 0.10, 0.10]])
    xyxy = box_cxcywh_to_xyxy(cxcywh)
    back = box_xyxy_to_cxcywh(xyxy)
    print("xyxy:  ", [[round(v, 3) for v in row] for row in xyxy.tolist()])
    print("back:  ", [[round(v, 3) for v in row] for row in back.tolist()])
    # in pixels: multiply x by the width and y by the height of the image
    pixels = xyxy[0] * torch.tensor([640, 480, 640, 480])
    print("pixels:", [round(v, 1) for v in pixels.tolist()])
# --8<-- [end:box_formats]


# --8<-- [start:generalized_iou]
import torch


def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    """Pairwise IoU of xyxy boxes a (N, 4) and b (M, 4): (iou (N, M), union (N, M))."""
    area_a, area_b = box_area(a), box_area(b)
    top_left = torch.max(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.min(a[:, None, 2:], b[None, :, 2:])
    inter = (bottom_right - top_left).clamp(min=0).prod(-1)
    union = area_a[:, None] + area_b[None, :] - inter
    return inter / union, union


def generalized_box_iou(a, b):
    """Pairwise GIoU (Rezatofighi et al., CVPR 2019): IoU - (hull - union) / hull.

    hull is the smallest axis-aligned box enclosing both. The result lies in [-1, 1].
    """
    iou, union = box_iou(a, b)
    hull_top_left = torch.min(a[:, None, :2], b[None, :, :2])
    hull_bottom_right = torch.max(a[:, None, 2:], b[None, :, 2:])
    hull = (hull_bottom_right - hull_top_left).clamp(min=0).prod(-1)
    return iou - (hull - union) / hull


if __name__ == "__main__":
    unit = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
    others = torch.tensor([
        [0.0, 0.0, 1.0, 1.0],      # identical
        [0.25, 0.25, 0.75, 0.75],  # inside: hull = the unit box, GIoU = IoU
        [0.5, 0.0, 1.5, 1.0],      # half overlap
        [2.0, 0.0, 3.0, 1.0],      # disjoint, one box apart: IoU = 0, GIoU < 0
        [50.0, 0.0, 51.0, 1.0],    # far away: GIoU -> -1
    ])
    iou, _ = box_iou(unit, others)
    giou = generalized_box_iou(unit, others)
    names = ["identical", "nested", "half", "disjoint", "far"]
    for name, i, g in zip(names, iou[0], giou[0], strict=True):
        print(f"{name:9s} IoU {i:.4f}  GIoU {g:+.4f}")
# --8<-- [end:generalized_iou]

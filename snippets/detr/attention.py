"""Where each object query looks: the last decoder layer's cross-attention, per query."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.boxes import box_cxcywh_to_xyxy
from snippets.detr.model import build_detr
from snippets.detr.shapes import make_batch

# --8<-- [start:cross_attention]
import torch


def cross_attention(model, images):
    """Run a DETR and catch the cross-attention of its last decoder layer.

    Returns (outputs, attention) with attention (B, N, H, W): for every query, its weights
    over the cells of the feature map, averaged over the heads; each map sums to 1.
    """
    caught = {}
    attn = model.transformer.decoder.layers[-1].multihead_attn

    def keep_weights(module, args, output):  # output = (attended values, weights (B, N, HW))
        caught["weights"] = output[1]

    def keep_size(module, args, output):  # the projected feature map, (B, d, H, W)
        caught["size"] = output.shape[-2:]

    hooks = [attn.register_forward_hook(keep_weights),
             model.input_proj.register_forward_hook(keep_size)]
    try:
        with torch.no_grad():
            outputs = model(images)
    finally:
        for hook in hooks:
            hook.remove()
    batch, queries, _ = caught["weights"].shape
    return outputs, caught["weights"].reshape(batch, queries, *caught["size"])


def share_inside(attention_map, box, image_size):
    """The attention weight on the cells that a box (x0, y0, x1, y1 in pixels) touches.

    A cell of an H x W map covers image_size / H by image_size / W pixels.
    """
    height, width = attention_map.shape
    x0, y0, x1, y1 = [float(v) for v in box]
    if x1 < x0 or y1 < y0:
        raise ValueError(f"box {[x0, y0, x1, y1]} has x1 < x0 or y1 < y0; expected (x0, y0, x1, y1)")
    cell_h, cell_w = image_size / height, image_size / width
    rows = torch.arange(height) * cell_h
    cols = torch.arange(width) * cell_w
    inside_rows = (rows < y1) & (rows + cell_h > y0)
    inside_cols = (cols < x1) & (cols + cell_w > x0)
    touched = inside_rows[:, None] & inside_cols[None, :]
    return attention_map[touched].sum().item(), touched.float().mean().item()
# --8<-- [end:cross_attention]


# needs: model.py:configs, shapes.py:shapes_dataset, boxes.py:box_formats, cross_attention
# --8<-- [start:attention_on_objects]
import statistics

import torch


def detected_query_shares(outputs, attention, threshold, size):
    """For every query with a class probability >= threshold, in every (square) image:
    (image, query, label, probability, attention share inside its box, uniform share)."""
    probs, labels = outputs["pred_logits"].softmax(-1)[..., :-1].max(-1)
    boxes = box_cxcywh_to_xyxy(outputs["pred_boxes"]) * size
    rows = []
    for b, q in (probs >= threshold).nonzero().tolist():
        share, uniform = share_inside(attention[b, q], boxes[b, q], size)
        rows.append((b, q, labels[b, q].item(), probs[b, q].item(), share, uniform))
    return rows


if __name__ == "__main__":
    torch.set_num_threads(1)
    checkpoint = torch.load("shapes-detr.pt", map_location="cpu", weights_only=True)
    config = checkpoint["config"]
    model = build_detr(config).eval()
    model.load_state_dict(checkpoint["model"], strict=True)
    names, threshold = config["classes"], config["threshold"]

    # Image 6 of the held-out seed (2): each detected query's attention on the cells its
    # box touches, and what those cells would get if it looked everywhere alike.
    outputs, attention = cross_attention(model, make_batch(2, 6, 1)[0])
    print("feature map", tuple(attention.shape[-2:]), "cells; image 6:")
    for _, q, label, p, share, uniform in detected_query_shares(outputs, attention, threshold, 64):
        print(f"  query {q} {names[label]:9s} p = {p:.2f}: attention inside its box {share:.2f}"
              f" (uniform {uniform:.2f})")

    # The same for every detection in 200 held-out images.
    outputs, attention = cross_attention(model, make_batch(2, 0, 200)[0])
    rows = detected_query_shares(outputs, attention, threshold, 64)
    shares, uniforms = [r[4] for r in rows], [r[5] for r in rows]
    print(f"{len(rows)} detections in 200 images: attention inside the box median"
          f" {statistics.median(shares):.2f} (uniform {statistics.median(uniforms):.2f}),"
          f" lowest {min(shares):.2f}, above one half for {sum(s > 0.5 for s in shares)}")
# --8<-- [end:attention_on_objects]

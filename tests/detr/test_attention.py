"""The last decoder layer's cross-attention of the shapes model: what the hook catches, and
that each detected query looks at its own object."""

import statistics

import pytest
import torch

from snippets.detr.attention import cross_attention, detected_query_shares, share_inside
from snippets.detr.boxes import box_cxcywh_to_xyxy, box_iou
from snippets.detr.shapes import make_batch


def test_the_hook_catches_one_map_per_query_on_the_feature_grid_and_is_removed(shapes_model, held_out_pass):
    model, config = shapes_model
    _, attention, _ = held_out_pass
    assert attention.shape == (200, config["num_queries"], 8, 8)  # 64 pixels at stride 8
    assert torch.allclose(attention.sum((-2, -1)), torch.ones(200, config["num_queries"]), atol=1e-5)
    attn = model.transformer.decoder.layers[-1].multihead_attn
    assert not attn._forward_hooks and not model.input_proj._forward_hooks


def test_the_maps_are_the_heads_weights_averaged(shapes_model):
    model, config = shapes_model
    images = make_batch(2, 0, 4)[0]
    _, averaged = cross_attention(model, images)
    per_head = {}
    attn = model.transformer.decoder.layers[-1].multihead_attn

    def every_head(module, args, kwargs):
        return args, {**kwargs, "average_attn_weights": False}

    hooks = [attn.register_forward_pre_hook(every_head, with_kwargs=True),
             attn.register_forward_hook(lambda m, a, out: per_head.__setitem__("w", out[1]))]
    try:
        with torch.no_grad():
            model(images)
    finally:
        for hook in hooks:
            hook.remove()
    heads = per_head["w"]
    assert heads.shape == (4, config["nheads"], config["num_queries"], 64)
    assert torch.allclose(heads.mean(1).reshape(averaged.shape), averaged, atol=1e-6)


def rows(held_out_pass, shapes_model):
    outputs, attention, _ = held_out_pass
    return detected_query_shares(outputs, attention, shapes_model[1]["threshold"], 64)


def test_each_detected_query_attends_mostly_inside_its_own_box(held_out_pass, shapes_model):
    found = rows(held_out_pass, shapes_model)
    shares = [r[4] for r in found]
    assert len(found) > 400
    assert statistics.median(shares) > 0.8
    assert sum(s > 0.5 for s in shares) >= 0.99 * len(shares)
    # far above what the same cells would get from attention spread evenly, every time
    assert all(share > 2 * uniform for *_, share, uniform in found)


def test_what_is_left_over_does_not_go_to_the_other_objects(held_out_pass, shapes_model):
    outputs, attention, truth = held_out_pass
    on_others = []
    for b, q, *_ in rows(held_out_pass, shapes_model):
        box = box_cxcywh_to_xyxy(outputs["pred_boxes"][b, q]) * 64
        objects = torch.from_numpy(truth[b]["boxes"])
        own = box_iou(box[None], objects)[0][0].argmax().item()
        mask = torch.zeros(8, 8, dtype=torch.bool)
        for j, other in enumerate(objects):
            if j != own:
                mask |= touched(other)
        mask &= ~touched(box)
        on_others.append(attention[b, q][mask].sum().item())
    assert statistics.median(on_others) < 0.05 and max(on_others) < 1 / 3


def touched(box, cells=8, cell=8.0):
    x0, y0, x1, y1 = box.tolist()
    start = torch.arange(cells) * cell
    return ((start < y1) & (start + cell > y0))[:, None] & ((start < x1) & (start + cell > x0))[None, :]


def test_share_inside_counts_the_cells_a_box_touches():
    uniform = torch.full((8, 8), 1 / 64)
    share, fraction = share_inside(uniform, [8, 8, 24, 16], 64)  # 2 x 1 cells
    assert share == pytest.approx(2 / 64) and fraction == 2 / 64
    share, fraction = share_inside(uniform, [9, 9, 17, 17], 64)  # straddles 2 x 2 cells
    assert fraction == 4 / 64
    peaked = torch.zeros(8, 8)
    peaked[0, 0] = 1.0
    assert share_inside(peaked, [0, 0, 8, 8], 64)[0] == 1.0 and share_inside(peaked, [8, 8, 16, 16], 64)[0] == 0.0


def test_share_inside_refuses_a_box_with_its_corners_swapped():
    with pytest.raises(ValueError, match=r"x1 < x0 or y1 < y0"):
        share_inside(torch.ones(8, 8) / 64, [24, 8, 8, 16], 64)

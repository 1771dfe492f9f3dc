import copy
import functools
import math

import pytest
import torch
from torch import nn

from snippets.spp.detection import backbone
from snippets.spp.window_map import (
    RULES,
    check_windows,
    crop_rings,
    layer_geometry,
    map_window,
    pooled_gap,
    receptive_fields,
    zf_like,
)


def twin(model):
    """A net with the model's geometry whose input gradient marks the receptive field:
    1-channel convs of ones, average pools (a max pool sends the gradient to one pixel)."""
    layers = []
    for kind, k, s, p in layer_geometry(model):
        if kind == "conv":
            conv = nn.Conv2d(1, 1, k, s, p, bias=False)
            nn.init.ones_(conv.weight)
            layers.append(conv)
        else:
            layers.append(nn.AvgPool2d(k, s, p))
    return nn.Sequential(*layers).double()


def measured_field(model, size, cell):
    """(first, last) input row and column that cell (cell, cell) of the output depends on."""
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    twin(model)(x)[0, 0, cell, cell].backward()
    rows = x.grad[0, 0].abs().sum(1).nonzero().flatten()
    cols = x.grad[0, 0].abs().sum(0).nonzero().flatten()
    return rows[0].item(), rows[-1].item(), cols[0].item(), cols[-1].item()


def test_receptive_field_table_matches_autograd_for_both_stacks():
    for model, size in [(zf_like, 200), (backbone, 120)]:
        *_, stride, r, c0 = receptive_fields(model)[-1]
        for cell in (8, 9, 11):  # interior cells: the field lies inside the image
            top, bottom, left, right = measured_field(model, size, cell)
            assert (top, bottom) == (left, right)
            assert bottom - top + 1 == r
            assert (top + bottom) / 2 == c0 + stride * cell


def test_zf_like_stack_has_stride_8_field_45_centred_on_8x_and_backbone_needs_an_offset():
    assert receptive_fields(zf_like)[-1][4:] == (8, 45, 0.0)
    assert all(row[-1] == 0.0 for row in receptive_fields(zf_like))  # floor(p/2) padding
    assert receptive_fields(backbone)[-1][4:] == (4, 18, 1.5)  # 2x2 pools without padding


def strictly_inside(a, b, stride, offset, cells):
    return [c for c in range(cells) if a < offset + stride * c < b]


@pytest.mark.parametrize("stride, offset", [(4, 0.0), (8, 0.0), (16, 0.0), (4, 1.5)])
def test_mapped_cells_are_exactly_those_centred_strictly_inside_every_window(stride, offset):
    size = 130
    for x0 in range(size):
        for x1 in range(x0, size):
            inside = strictly_inside(x0, x1, stride, offset, size)
            if not inside:
                with pytest.raises(ValueError, match="maps to no feature-map cell"):
                    map_window((x0, 0, x1, size - 1), (size, size), stride, offset)
                continue
            left, _, right, _ = map_window((x0, 0, x1, size - 1), (size, size), stride, offset)
            assert (left, right) == (inside[0], inside[-1])


def test_same_property_for_windows_with_fractional_corners():
    g = torch.Generator().manual_seed(5)
    for _ in range(2000):
        x0, x1 = sorted((torch.rand(2, generator=g, dtype=torch.float64) * 255).tolist())
        inside = strictly_inside(x0, x1, 8, 0.0, 32)
        if inside:
            left, _, right, _ = map_window((x0, 0, x1, 255), (256, 256), 8)
            assert (left, right) == (inside[0], inside[-1])


def test_plus_one_minus_one_matter_exactly_when_an_edge_is_a_multiple_of_s():
    s = 8
    for x in range(300):
        assert (math.floor(x / s) + 1 == math.ceil(x / s)) == (x % s != 0)
        assert (math.ceil(x / s) - 1 == math.floor(x / s)) == (x % s != 0)
        if x % s == 0:  # an edge on a centre: that cell is dropped
            assert math.floor(x / s) + 1 == x // s + 1 and math.ceil(x / s) - 1 == x // s - 1


def test_printed_random_window_check():
    found, margins = check_windows()
    assert found["strictly inside"] == found["windows"] > 8000
    assert 0 < found["+1/-1 changed it"] == found["... on a multiple of S"]
    assert margins == list(range(1, 9))


def test_first_centre_is_1_to_s_pixels_inside_so_the_field_sticks_out_14_to_21():
    *_, stride, r, _ = receptive_fields(zf_like)[-1]
    half = (r - 1) // 2
    outside = set()
    for x0 in range(0, 150):
        left, _, _, _ = map_window((x0, 0, 255, 255), (256, 256), stride)
        assert 1 <= stride * left - x0 <= stride
        outside.add(x0 - (stride * left - half))
    assert outside == set(range(half - stride, half))
    assert (half - stride, half - 1) == (14, 21)


def test_paper_rule_never_picks_cell_0_and_stays_on_the_map():
    for side in range(20, 200, 7):
        with torch.no_grad():
            cells = copy.deepcopy(zf_like).float()(torch.zeros(1, 3, side, side)).shape[-1]
        left, top, right, bottom = map_window((0, 0, side - 1, side - 1), (side, side), 8)
        assert left == top == 1
        assert right <= cells - 1


def test_nearest_rule_picks_the_cell_whose_centre_is_nearest_the_corner():
    nearest = RULES["nearest: round"]
    for x in range(0, 240):
        left, _, right, _ = nearest((x, x, 250, 250))
        assert abs(8 * left - x) <= 4
        _, _, right, _ = nearest((0, 0, x, x))
        assert abs(8 * right - x) <= 4
    paper = RULES["paper: floor+1, ceil-1"]
    assert paper((17, 17, 100, 100))[0] == 3 and nearest((17, 17, 100, 100))[0] == 2


@functools.cache
def measured():
    net = copy.deepcopy(zf_like).double()  # the region's own zf_like.double() changes it in place
    image = torch.randn(1, 3, 256, 256, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    return net, image


def test_crop_and_shared_map_agree_where_the_field_lies_inside_the_crop():
    net, image = measured()
    rings = crop_rings(net, image)
    assert rings[0] > 0.5 and rings[1] > 0.1 and rings[2] > 0.01
    assert all(d < 1e-12 for ring, d in rings.items() if ring >= 3)
    # cell by cell: inside the crop's field the two maps agree, at the edge they do not
    with torch.no_grad():
        shared = net(image)
        own = net(image[..., 64:160, 40:128])  # rows 8..19, columns 5..15 of the map
    diff = (own - shared[..., 8:20, 5:16]).abs().amax(dim=(0, 1))
    for i in range(12):
        for j in range(11):
            centre_y, centre_x = 8 * i, 8 * j  # in the crop's pixels
            inside = all(22 <= c <= n - 1 - 22 for c, n in [(centre_y, 96), (centre_x, 88)])
            if inside:
                assert diff[i, j] < 1e-12
    assert diff[0].max() > 0.1 and diff[:, 0].max() > 0.1


def test_pooled_gap_same_for_all_rules_inside_but_paper_rule_worse_at_the_image_edge():
    net, image = measured()
    inside, border = pooled_gap(net, image, False), pooled_gap(net, image, True)
    assert max(inside.values()) - min(inside.values()) < 0.01
    assert all(0.2 < v < 0.3 for v in inside.values())
    paper, closed, nearest = (border[name] for name in RULES)
    assert paper - closed > 0.05 and paper - nearest > 0.05
    assert abs(paper - inside["paper: floor+1, ceil-1"]) < 0.01


def test_bad_windows_raise_clear_errors():
    with pytest.raises(ValueError, match=r"window \(200, 10, 300, 90\) is not inside the 256x256 image"):
        map_window((200, 10, 300, 90), (256, 256), 8)
    with pytest.raises(ValueError, match=r"is not inside the 100x50 image .* x1 <= 99 .* y1 <= 49"):
        map_window((-1, 0, 20, 20), (50, 100), 8)
    with pytest.raises(ValueError, match=r"window \(60, 10, 50, 90\) is empty"):
        map_window((60, 10, 50, 90), (256, 256), 8)
    with pytest.raises(ValueError, match=r"\(41, 10, 47, 90\) maps to no feature-map cell"):
        map_window((41, 10, 47, 90), (256, 256), 8)
    with pytest.raises(ValueError, match="maps to no feature-map cell"):
        map_window((40, 40, 48, 48), (256, 256), 8)  # centres 40 and 48 on the edges, none inside

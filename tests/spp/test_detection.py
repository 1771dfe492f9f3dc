import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from snippets.spp import detection
from snippets.spp.detection import map_box, roi_max_pool
from snippets.spp.paper_bins import adaptive_windows


def c_round(v):
    """C's round(): half away from zero."""
    return int(math.copysign(math.floor(abs(v) + 0.5), v))


def caffe_bins(size, pooled, dtype):
    """Bin edges [start, end) along one side of an RoI `size` cells long, as Fast R-CNN's
    Caffe RoIPoolingLayer computes them: bin_size = size / pooled in the layer's float type,
    start = floor(p * bin_size), end = ceil((p + 1) * bin_size)."""
    bin_size = dtype(size) / dtype(pooled)
    return [(int(np.floor(dtype(p) * bin_size)), int(np.ceil(dtype(p + 1) * bin_size)))
            for p in range(pooled)]


def caffe_roi_pool(features, box, pooled, spatial_scale, dtype=np.float32):
    """Fast R-CNN's RoI max pooling (Girshick 2015; roi_pooling_layer.cpp), written from the
    definition and independent of the article's code: round the box corners onto the map,
    split the (unclipped) RoI into pooled x pooled sub-windows of about h/H x w/W cells,
    clip each sub-window to the map, max over it, 0 for an empty one."""
    _, height, width = features.shape
    x0, y0, x1, y1 = (c_round(v * spatial_scale) for v in box)
    h, w = max(y1 - y0 + 1, 1), max(x1 - x0 + 1, 1)
    out = features.new_zeros(features.shape[0], pooled, pooled)
    for i, (top, bottom) in enumerate(caffe_bins(h, pooled, dtype)):
        top, bottom = min(max(top + y0, 0), height), min(max(bottom + y0, 0), height)
        for j, (left, right) in enumerate(caffe_bins(w, pooled, dtype)):
            left, right = min(max(left + x0, 0), width), min(max(right + x0, 0), width)
            if bottom > top and right > left:
                out[:, i, j] = features[:, top:bottom, left:right].amax(dim=(1, 2))
    return out


def test_roi_pooling_equals_adaptive_pooling_of_the_crop_on_random_boxes():
    g = torch.Generator().manual_seed(0)
    features = torch.randn(16, 30, 40, generator=g)
    for _ in range(50):
        x0, y0 = torch.randint(0, 600, (1,), generator=g).item(), torch.randint(0, 450, (1,), generator=g).item()
        x1 = x0 + torch.randint(0, 640 - x0, (1,), generator=g).item()
        y1 = y0 + torch.randint(0, 480 - y0, (1,), generator=g).item()
        box = torch.tensor([[x0, y0, x1, y1]], dtype=torch.float32)
        for size in (1, 2, 7):
            pooled = roi_max_pool(features, box, output_size=size)
            c0, r0, c1, r1 = map_box(box[0].tolist(), 1 / 16, 30, 40)
            expected = F.adaptive_max_pool2d(features[:, r0:r1 + 1, c0:c1 + 1], size)
            assert torch.equal(pooled[0], expected)


def test_roi_pooling_is_single_level_spp_on_whole_map():
    features = torch.randn(8, 13, 13)
    whole = torch.tensor([[0.0, 0.0, 12.0, 12.0]])
    out = roi_max_pool(features, whole, output_size=4, spatial_scale=1.0)
    assert torch.equal(out[0], F.adaptive_max_pool2d(features, 4))


def test_region_output_shows_equality_and_fixed_length():
    assert detection.pooled.shape == (3, 512, 7, 7)
    for k, box in enumerate(detection.boxes.tolist()):
        x0, y0, x1, y1 = map_box(box, 1 / 16, 38, 50)
        assert torch.equal(detection.pooled[k], F.adaptive_max_pool2d(detection.conv5[:, y0:y1 + 1, x0:x1 + 1], 7))


def test_rounding_is_half_up_and_clipped():
    assert map_box([8, 8, 24, 24], 1 / 16, 10, 10) == (1, 1, 2, 2)
    assert map_box([40, 40, 56, 56], 1 / 16, 10, 10) == (3, 3, 4, 4)  # 2.5 -> 3, 3.5 -> 4
    assert map_box([0, 0, 10_000, 10_000], 1 / 16, 10, 12) == (0, 0, 11, 9)


def test_bad_boxes_raise_clear_errors():
    features = torch.randn(4, 10, 10)
    with pytest.raises(ValueError, match="box 0 .* empty or outside"):
        roi_max_pool(features, torch.tensor([[100.0, 0.0, 50.0, 10.0]]))
    with pytest.raises(ValueError, match=r"need features \(C, H, W\) and boxes \(K, 4\)"):
        roi_max_pool(features, torch.tensor([1.0, 2.0, 3.0, 4.0]))


def test_convs_run_once_per_image_instead_of_once_per_window():
    assert detection.sppnet["calls"] == 3  # three conv layers, one pass
    assert detection.rcnn["calls"] == 3 * len(detection.windows)
    assert detection.rcnn["macs"] > 20 * detection.sppnet["macs"]


# Fast R-CNN's definition (caffe_roi_pool above) against adaptive pooling of the crop and the
# article's roi_max_pool: where they agree, and the two places where they do not.

def test_fast_rcnn_bins_are_the_adaptive_bins_for_7x7_in_float32_up_to_56_cells():
    sizes = range(1, 57)
    for size in sizes:
        assert caffe_bins(size, 7, np.float32) == adaptive_windows(size, 7)
    for pooled in (1, 2, 3, 4, 6):  # the other levels of the page agree at least as far
        assert all(caffe_bins(size, pooled, np.float32) == adaptive_windows(size, pooled)
                   for size in range(1, 200))


def test_fast_rcnn_float_bin_size_takes_one_cell_more_from_57_cells_float32_29_float64():
    def first_difference(dtype):
        return next(size for size in range(1, 1000)
                    if caffe_bins(size, 7, dtype) != adaptive_windows(size, 7))

    assert first_difference(np.float32) == 57 and first_difference(np.float64) == 29
    # the last bin ends one cell past the RoI: 7 * fl(57 / 7) rounds to just above 57
    assert caffe_bins(57, 7, np.float32)[-1] == (48, 58) and adaptive_windows(57, 7)[-1] == (48, 57)
    assert caffe_bins(29, 7, np.float64)[-1] == (24, 30) and adaptive_windows(29, 7)[-1] == (24, 29)
    # on a map that goes on below the box, that extra row is pooled into the last bin
    features = torch.zeros(1, 60, 60)
    features[0, 57, 0] = 1.0  # the row just below a box of rows 0..56
    box = [0.0, 0.0, 56.0, 56.0]
    caffe = caffe_roi_pool(features, box, 7, spatial_scale=1.0)
    ours = roi_max_pool(features, torch.tensor([box]), output_size=7, spatial_scale=1.0)[0]
    assert caffe[0, 6, 0] == 1.0 and ours[0, 6, 0] == 0.0
    assert torch.equal(ours, F.adaptive_max_pool2d(features[:, :57, :57], 7))


def test_fast_rcnn_roi_pooling_equals_adaptive_pooling_of_the_crop_inside_the_map():
    """300 random boxes in image pixels (corners not on the 16-pixel grid), inside a
    38x50 map at spatial_scale 1/16 (RoIs up to 38x50 cells), at 1x1, 2x2, 3x3, 6x6 and 7x7."""
    g = torch.Generator().manual_seed(0)
    features = torch.randn(8, 38, 50, generator=g)
    checked = 0
    for _ in range(300):
        x0, x1 = sorted(torch.randint(0, 50 * 16 - 8, (2,), generator=g).tolist())
        y0, y1 = sorted(torch.randint(0, 38 * 16 - 8, (2,), generator=g).tolist())
        box = [x0 + 0.3, y0 + 0.7, x1 + 0.5, y1 + 0.2]
        c0, r0, c1, r1 = map_box(box, 1 / 16, 38, 50)
        crop = features[:, r0:r1 + 1, c0:c1 + 1]
        for pooled in (1, 2, 3, 6, 7):
            caffe = caffe_roi_pool(features, box, pooled, spatial_scale=1 / 16)
            assert torch.equal(caffe, F.adaptive_max_pool2d(crop, pooled))
            assert torch.equal(caffe, roi_max_pool(features, torch.tensor([box]), pooled)[0])
            checked += 1
    assert checked == 1500


def test_fast_rcnn_box_past_the_map_edge_gives_empty_bins_ours_clips_the_box_first():
    g = torch.Generator().manual_seed(1)
    features = torch.randn(4, 10, 10, generator=g)
    box = [-3.0, 2.0, 12.0, 8.0]  # columns -3..12 on a map of columns 0..9
    caffe = caffe_roi_pool(features, box, 7, spatial_scale=1.0)
    ours = roi_max_pool(features, torch.tensor([box]), output_size=7, spatial_scale=1.0)[0]
    assert bool((caffe[:, :, 0] == 0).all())  # bin columns -3..-1: outside, empty, 0
    assert not torch.equal(caffe, ours)
    assert torch.equal(ours, F.adaptive_max_pool2d(features[:, 2:9, 0:10], 7))  # clipped crop

import math

import pytest
import torch
import torch.nn.functional as F

from snippets.spp import detection
from snippets.spp.detection import map_box, roi_max_pool


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
    assert map_box([0, 0, 10_000, 10_000], 1 / 16, 10, 12) == (0, 0, 11, 9)
    assert math.floor(2.5 + 0.5) == 3  # not banker's rounding


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

import pytest
import torch
import torch.nn.functional as F

from snippets.spp.pyramid import SpatialPyramidPooling


@pytest.mark.parametrize("h, w", [(13, 13), (10, 10), (4, 4), (17, 23), (6, 40), (64, 5)])
def test_three_level_pyramid_over_256_channels_gives_5376_features_for_any_size(h, w):
    out = SpatialPyramidPooling((4, 2, 1))(torch.randn(2, 256, h, w))
    assert out.shape == (2, 21 * 256) == (2, 5376)


def test_paper_four_level_pyramid_has_50_bins():
    out = SpatialPyramidPooling((6, 3, 2, 1))(torch.randn(1, 256, 13, 13))
    assert out.shape == (1, 50 * 256)


def test_coarsest_level_is_global_max_pooling():
    x = torch.randn(3, 8, 11, 7)
    out = SpatialPyramidPooling((4, 2, 1))(x)
    assert torch.equal(out[:, -8:], x.amax(dim=(2, 3)))


def test_levels_are_adaptive_max_pools_in_order():
    x = torch.randn(1, 4, 9, 14)
    out = SpatialPyramidPooling((4, 2, 1))(x)
    expected = torch.cat([F.adaptive_max_pool2d(x, n).flatten(1) for n in (4, 2, 1)], 1)
    assert torch.equal(out, expected)


def test_input_smaller_than_finest_level_raises_naming_size_and_level():
    with pytest.raises(ValueError, match=r"3x9 is smaller than the finest pyramid level 4x4"):
        SpatialPyramidPooling((4, 2, 1))(torch.zeros(1, 8, 3, 9))
    with pytest.raises(ValueError, match=r"10x5 .* level 6x6"):
        SpatialPyramidPooling((6, 3, 2, 1))(torch.zeros(1, 8, 10, 5))


def test_bad_levels_and_bad_rank_raise_clear_errors():
    with pytest.raises(ValueError, match="levels must be positive integers"):
        SpatialPyramidPooling((4, 0))
    with pytest.raises(ValueError, match="levels must be positive integers"):
        SpatialPyramidPooling(())
    with pytest.raises(ValueError, match=r"expected an \(N, C, H, W\) tensor, got shape \(8, 13, 13\)"):
        SpatialPyramidPooling()(torch.zeros(8, 13, 13))

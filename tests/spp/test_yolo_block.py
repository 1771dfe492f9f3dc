import pytest
import torch

from snippets.spp.yolo_block import SPPF, YoloSPP, avg_pool_same


@pytest.mark.parametrize("h, w", [(13, 13), (20, 20), (19, 34), (2, 5)])
def test_yolo_spp_keeps_size_and_multiplies_channels_by_four(h, w):
    out = YoloSPP((5, 9, 13))(torch.randn(1, 32, h, w))
    assert out.shape == (1, 128, h, w)


def test_yolo_spp_first_channels_are_the_identity():
    x = torch.randn(1, 16, 10, 10)
    assert torch.equal(YoloSPP()(x)[:, :16], x)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("h, w", [(20, 20), (7, 11), (3, 3), (1, 1), (40, 13)])
def test_sppf_equals_spp_5_9_13_bitwise(h, w, dtype):
    g = torch.Generator().manual_seed(h * 100 + w)
    x = torch.randn(2, 8, h, w, generator=g, dtype=dtype)
    assert torch.equal(SPPF()(x), YoloSPP((5, 9, 13))(x))


def test_sppf_equals_spp_with_ties_and_negative_values():
    x = -torch.randint(0, 3, (1, 4, 17, 17)).float()  # many ties, all <= 0 (padding must not leak)
    assert torch.equal(SPPF()(x), YoloSPP((5, 9, 13))(x))


def test_average_pooling_does_not_compose_the_same_way():
    x = torch.randn(1, 8, 20, 20, generator=torch.Generator().manual_seed(0))
    assert (avg_pool_same(avg_pool_same(x, 5), 5) - avg_pool_same(x, 9)).abs().max() > 0.1
    # sanity: the helper is a size-keeping average pool
    assert torch.allclose(avg_pool_same(x, 3)[..., 5, 5], x[..., 4:7, 4:7].mean(dim=(-2, -1)))


def test_even_kernel_is_a_clear_error():
    with pytest.raises(ValueError, match="kernels must be odd and positive"):
        YoloSPP((4, 9))

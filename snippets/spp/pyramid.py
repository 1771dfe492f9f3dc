"""Spatial pyramid pooling (SPP-net): a fixed-length vector from a feature map of any size."""

# --8<-- [start:spp_layer]
import torch
import torch.nn.functional as F
from torch import nn


class SpatialPyramidPooling(nn.Module):
    """Max-pool an (N, C, H, W) map into n x n bins per level n; concatenate.

    Output shape: (N, C * sum(n * n for n in levels)), whatever H and W are.
    """

    def __init__(self, levels=(4, 2, 1)):
        super().__init__()
        if not levels or any(not isinstance(n, int) or n < 1 for n in levels):
            raise ValueError(f"levels must be positive integers, got {levels!r}")
        self.levels = tuple(levels)

    def forward(self, x):
        if x.dim() != 4:
            raise ValueError(f"expected an (N, C, H, W) tensor, "
                             f"got shape {tuple(x.shape)}")
        h, w = x.shape[-2:]
        finest = max(self.levels)
        if h < finest or w < finest:
            raise ValueError(f"feature map {h}x{w} is smaller than the finest "
                             f"pyramid level {finest}x{finest}")
        # Adaptive pooling: bin i of n covers [floor(i*a/n), ceil((i+1)*a/n)),
        # so every level has exactly n x n bins and every cell lies in some bin.
        pooled = [F.adaptive_max_pool2d(x, n).flatten(1) for n in self.levels]
        return torch.cat(pooled, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    spp = SpatialPyramidPooling((4, 2, 1))  # the paper's Fig. 3 pyramid
    for h, w in [(13, 13), (10, 10), (17, 23), (6, 40)]:
        conv5 = torch.randn(1, 256, h, w)  # 256 filters, like conv5 of ZF-5
        print(f"conv5 256x{h}x{w} -> {tuple(spp(conv5).shape)}")
    print("(16 + 4 + 1) bins x 256 channels =", (16 + 4 + 1) * 256)
# --8<-- [end:spp_layer]


# needs: spp_layer
# --8<-- [start:too_small]
import torch

if __name__ == "__main__":
    try:
        SpatialPyramidPooling((4, 2, 1))(torch.zeros(1, 8, 3, 9))
    except ValueError as err:
        print("ValueError:", err)
# --8<-- [end:too_small]

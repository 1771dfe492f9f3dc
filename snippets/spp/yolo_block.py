"""The YOLO "SPP block" and SPPF: same name as SPP-net, a different idea."""

# --8<-- [start:yolo_spp]
import torch
import torch.nn.functional as F
from torch import nn


class YoloSPP(nn.Module):
    """Parallel stride-1 max pools (padding k//2) and the identity, concatenated
    on channels: the size is kept, the channel count multiplied by 4.

    The pooling core of the SPP in YOLOv3-SPP, YOLOv4 and YOLOv5, which also
    put a 1x1 conv before and after it.
    """

    def __init__(self, kernels=(5, 9, 13)):
        super().__init__()
        if any(k < 1 or k % 2 == 0 for k in kernels):
            raise ValueError(f"kernels must be odd and positive, got {kernels}")
        self.kernels = tuple(kernels)

    def forward(self, x):
        pools = [F.max_pool2d(x, k, stride=1, padding=k // 2)
                 for k in self.kernels]
        return torch.cat([x] + pools, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = YoloSPP()
    for h, w in [(13, 13), (20, 20), (19, 34)]:
        x = torch.randn(1, 512, h, w)
        print(f"{tuple(x.shape)} -> {tuple(block(x).shape)}")
# --8<-- [end:yolo_spp]


# needs: yolo_spp
# --8<-- [start:sppf]
import torch
import torch.nn.functional as F
from torch import nn


class SPPF(nn.Module):
    """YOLOv5's SPP-Fast core: one 5x5 stride-1 max pool, three times in a row."""

    def forward(self, x):
        y1 = F.max_pool2d(x, 5, stride=1, padding=2)
        y2 = F.max_pool2d(y1, 5, stride=1, padding=2)  # 5x5 max of 5x5 maxes: 9x9
        y3 = F.max_pool2d(y2, 5, stride=1, padding=2)  # once more: 13x13
        return torch.cat([x, y1, y2, y3], 1)


def avg_pool_same(x, k):
    """Stride-1 average pool that keeps the size (padding is not counted)."""
    return F.avg_pool2d(x, k, stride=1, padding=k // 2, count_include_pad=False)


if __name__ == "__main__":
    torch.manual_seed(0)
    for h, w in [(20, 20), (7, 11), (3, 3)]:
        x = torch.randn(2, 64, h, w)
        same = torch.equal(SPPF()(x), YoloSPP((5, 9, 13))(x))
        print(f"{h}x{w}: SPPF == SPP(5, 9, 13) bitwise: {same}")

    # Max pooling composes this way; average pooling does not.
    x = torch.randn(1, 8, 20, 20)
    diff = avg_pool_same(avg_pool_same(x, 5), 5) - avg_pool_same(x, 9)
    print(f"avg: 5x5 twice vs 9x9 once, max difference {diff.abs().max():.3f}")
# --8<-- [end:sppf]


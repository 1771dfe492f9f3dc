"""SPP for detection: convolve once per image, then pool every region (SPP-net, Fast R-CNN)."""

# --8<-- [start:roi_pool]
import math

import torch
import torch.nn.functional as F


def map_box(box, spatial_scale, height, width):
    """Box in image pixels -> inclusive feature-map cells: scale, round, clip."""
    x0, y0, x1, y1 = (math.floor(v * spatial_scale + 0.5) for v in box)
    return max(x0, 0), max(y0, 0), min(x1, width - 1), min(y1, height - 1)


def roi_max_pool(features, boxes, output_size=7, spatial_scale=1 / 16):
    """Fast R-CNN RoI max pooling, written out bin by bin.

    features: (C, H, W) conv map of one image. boxes: (K, 4) rows x0, y0, x1, y1
    in image pixels. Each box is rounded onto the map, then split into
    output_size x output_size bins with edges floor(i*h/n) and ceil((i+1)*h/n):
    one level of a spatial pyramid. Returns (K, C, output_size, output_size).
    """
    if features.dim() != 3 or boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError(f"need features (C, H, W) and boxes (K, 4), got "
                         f"{tuple(features.shape)} and {tuple(boxes.shape)}")
    c, height, width = features.shape
    n = output_size
    out = features.new_empty(len(boxes), c, n, n)
    for k, box in enumerate(boxes.tolist()):
        x0, y0, x1, y1 = map_box(box, spatial_scale, height, width)
        if x1 < x0 or y1 < y0:
            raise ValueError(f"box {k} {box} is empty or outside the "
                             f"{height}x{width} feature map")
        h, w = y1 - y0 + 1, x1 - x0 + 1
        for i in range(n):
            top, bottom = y0 + (i * h) // n, y0 + math.ceil((i + 1) * h / n)
            for j in range(n):
                left, right = x0 + (j * w) // n, x0 + math.ceil((j + 1) * w / n)
                cell = features[:, top:bottom, left:right]
                out[k, :, i, j] = cell.amax(dim=(1, 2))
    return out


torch.manual_seed(0)
conv5 = torch.randn(512, 38, 50)  # like VGG16's conv5_3 of a 600x800 image
boxes = torch.tensor([[0.0, 0.0, 799.0, 599.0],
                      [100.0, 50.0, 260.0, 400.0],
                      [500.0, 300.0, 540.0, 330.0]])
pooled = roi_max_pool(conv5, boxes)
print("RoI pooling:", tuple(pooled.shape), "->", pooled[0].numel(), "per box")
for k, box in enumerate(boxes.tolist()):
    x0, y0, x1, y1 = map_box(box, 1 / 16, 38, 50)
    crop = conv5[:, y0:y1 + 1, x0:x1 + 1]
    same = torch.equal(pooled[k], F.adaptive_max_pool2d(crop, 7))
    print(f"box {k}: {crop.shape[1]}x{crop.shape[2]} cells, "
          f"equal to adaptive_max_pool2d(crop, 7): {same}")
# --8<-- [end:roi_pool]


# --8<-- [start:once_per_image]
import torch
import torch.nn.functional as F
from torch import nn


def count_conv_work(model):
    """Forward hooks that count conv calls and multiply-adds."""
    tally = {"calls": 0, "macs": 0}

    def hook(module, inputs, output):
        kh, kw = module.kernel_size
        tally["calls"] += 1
        per_output = module.in_channels // module.groups * kh * kw
        tally["macs"] += output.numel() * per_output

    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    return tally, [m.register_forward_hook(hook) for m in convs]


torch.manual_seed(0)
backbone = nn.Sequential(  # three conv layers, total stride 4
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU())
image = torch.randn(1, 3, 96, 128)
g = torch.Generator().manual_seed(1)
corners = torch.randint(0, 64, (100, 2), generator=g)
windows = [(x, y, x + 32, y + 32) for x, y in corners.tolist()]  # 100 proposals

with torch.no_grad():
    # R-CNN: crop and warp every window, run the convs on each one
    rcnn, handles = count_conv_work(backbone)
    for x0, y0, x1, y1 in windows:
        crop = image[..., y0:y1, x0:x1]
        warped = F.interpolate(crop, size=(64, 64), mode="bilinear")
        F.adaptive_max_pool2d(backbone(warped), 4)
    for h in handles:
        h.remove()

    # SPP-net: run the convs once, pool every window from the feature map
    sppnet, handles = count_conv_work(backbone)
    fmap = backbone(image)
    for x0, y0, x1, y1 in windows:
        F.adaptive_max_pool2d(fmap[..., y0 // 4:y1 // 4, x0 // 4:x1 // 4], 4)
    for h in handles:
        h.remove()

for name, t in [("R-CNN", rcnn), ("SPP-net", sppnet)]:
    macs = t["macs"] / 1e6
    print(f"{name:<8}: {t['calls']:>4} conv calls, {macs:7.1f} M multiply-adds")
print(f"ratio   : {rcnn['macs'] / sppnet['macs']:.1f}x")
# --8<-- [end:once_per_image]

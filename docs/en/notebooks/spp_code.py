# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Spatial pyramid pooling (SPP)
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. First install what it needs:
#
# ```bash
# pip install torch --index-url https://download.pytorch.org/whl/cpu
# ```

# %%
# The files this article's code reads: fetched from the site when not in this folder.
import os
import urllib.request
from pathlib import Path

site = os.environ.get("PYML_NOTES_SITE", "https://pyml-notes.github.io/")
for name, url in [
    ('sppf_speed.json', '_src/snippets/spp/measured/sppf_speed.json'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)

# %% [markdown]
# ## The question
#
# ## The idea
#
# ### A fixed number of bins, not a fixed window
#
# ### Where it goes
#
# ## The code
#
# ### An SPP layer

# %%
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

# %% [markdown]
# ### Multi-size training

# %%
import torch
import torch.nn.functional as F
from torch import nn


def quadrant_images(count, size, generator):
    """Noisy images with one bright square; the label is its quadrant (0..3)."""
    images = 0.3 * torch.randn(count, 1, size, size, generator=generator)
    labels = torch.randint(0, 4, (count,), generator=generator)
    side, half = size // 4, size // 2
    offsets = torch.randint(0, half - side + 1, (count, 2), generator=generator)
    for i in range(count):
        top = (labels[i] // 2) * half + offsets[i, 0]
        left = (labels[i] % 2) * half + offsets[i, 1]
        images[i, 0, top:top + side, left:left + side] += 1.0
    return images, labels


class SppNet(nn.Module):
    """conv layers -> spatial pyramid pooling -> one fully connected layer."""

    def __init__(self, levels=(4, 2, 1), classes=4):
        super().__init__()
        if not levels or any(n < 1 for n in levels):
            raise ValueError(f"levels must be positive integers, got {levels!r}")
        self.levels = levels
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU())
        bins = sum(n * n for n in levels)
        self.fc = nn.Linear(16 * bins, classes)  # input length fixed by the bins

    def forward(self, x):
        f = self.features(x)
        pooled = [F.adaptive_max_pool2d(f, n).flatten(1) for n in self.levels]
        return self.fc(torch.cat(pooled, dim=1))


def train_multi_size(levels, sizes=(32, 48), epochs=4, seed=0):
    """As in the paper: a whole epoch at one size, the next epoch at the other."""
    data = torch.Generator().manual_seed(seed)
    train_sets = {s: quadrant_images(128, s, data) for s in sizes}
    torch.manual_seed(seed)
    net = SppNet(levels)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for epoch in range(epochs):
        images, labels = train_sets[sizes[epoch % len(sizes)]]
        for start in range(0, len(labels), 32):
            batch = slice(start, start + 32)
            loss = F.cross_entropy(net(images[batch]), labels[batch])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    return net, losses


def held_out_accuracy(net, size, seed=1):
    generator = torch.Generator().manual_seed(seed + size)  # unseen images
    images, labels = quadrant_images(128, size, generator)
    with torch.no_grad():
        return (net(images).argmax(1) == labels).float().mean().item()


if __name__ == "__main__":
    net, losses = train_multi_size(levels=(4, 2, 1))
    last_epoch = sum(losses[-4:]) / 4
    print(f"loss: first batch {losses[0]:.3f}, last epoch mean {last_epoch:.4f}")
    for size in (32, 48, 40):
        acc = held_out_accuracy(net, size)
        note = "  (a size never seen in training)" if size == 40 else ""
        print(f"held-out accuracy at {size}x{size}: {acc:.3f}{note}")

# %%
if __name__ == "__main__":
    global_net, _ = train_multi_size(levels=(1,))  # 1x1 only: global max pooling
    for size in (32, 48):
        acc = held_out_accuracy(global_net, size)
        print(f"global pooling only, held-out accuracy {size}x{size}: {acc:.3f}")

# %% [markdown]
# ### Detection: convolve once, pool every window

# %%
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

# %%
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

# %% [markdown]
# ### The YOLO "SPP block" is something else

# %%
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

# %%
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

# %%
import json
from pathlib import Path

# Comparisons per output value when every window is scanned in full:
print("comparisons per output: SPP", 5 * 5 + 9 * 9 + 13 * 13, "| SPPF", 3 * 5 * 5)

# Timings measured by the repository's measure.py; download sppf_speed.json
# into the folder this code runs in.
measured = json.loads(Path("sppf_speed.json").read_text())
machine = measured["machine"]
print(f"{machine['cpu']}, torch {machine['torch']}: {measured['method']}")
print("ms per pass: median [fastest - slowest round];"
      " SPP/SPPF: ratio of medians [smallest - largest ratio of extremes]")
for row in measured["rows"]:
    shape = "x".join(map(str, row["shape"]))
    spp, sppf = row["spp"], row["sppf"]
    print(f"{shape:>12}  SPP {spp['median']:6.2f} [{spp['min']:.2f}-{spp['max']:.2f}]"
          f"  SPPF {sppf['median']:5.2f} [{sppf['min']:.2f}-{sppf['max']:.2f}]"
          f"  SPP/SPPF {spp['median'] / sppf['median']:.1f}"
          f" [{spp['min'] / sppf['max']:.1f}-{spp['max'] / sppf['min']:.1f}]")

# %% [markdown]
# ## The proof
#
# ### The paper's window formula miscounts bins

# %%
import math


def paper_windows(a, n):
    """Windows [start, end) of one pyramid level, as in Sec. 2.3 of the paper:
    window ceil(a/n), stride floor(a/n), no padding, over a side of length a."""
    if a < 1 or n < 1:
        raise ValueError(f"side a={a} and level n={n} must both be >= 1")
    win, stride = math.ceil(a / n), a // n
    if stride == 0:
        raise ValueError(f"side a={a} is smaller than the level n={n}: "
                         f"stride floor(a/n) is 0")
    count = (a - win) // stride + 1  # what a pooling layer actually produces
    return [(i * stride, i * stride + win) for i in range(count)]


if __name__ == "__main__":
    for a, n in [(13, 4), (13, 6), (10, 6), (7, 4), (14, 4)]:
        wins = paper_windows(a, n)
        end = wins[-1][1]
        print(f"a={a:>2} n={n}: {len(wins)} bins, last ends at {end:>2}: {wins}")

# %%
import torch
import torch.nn.functional as F


def adaptive_windows(a, n):
    """Bin i covers [floor(i*a/n), ceil((i+1)*a/n)): the paper's Appendix A and
    torch's adaptive pooling. Always n bins, together covering every cell."""
    if a < 1 or n < 1:
        raise ValueError(f"side a={a} and level n={n} must both be >= 1")
    return [((i * a) // n, -((-(i + 1) * a) // n)) for i in range(n)]


if __name__ == "__main__":
    torch.manual_seed(0)
    row = torch.randn(1, 1, 10)
    bins = adaptive_windows(10, 6)
    by_hand = torch.stack([row[..., s:e].amax(-1) for s, e in bins], dim=-1)
    print("a=10 n=6:", bins)
    same = torch.equal(by_hand, F.adaptive_max_pool1d(row, 6))
    print("equal to F.adaptive_max_pool1d:", same)


# %% [markdown]
# ### Every size from 4 to 64

# %%
def sweep(sizes=range(4, 65), levels=(1, 2, 3, 4, 6)):
    """Per level: how the paper's windows compare with adaptive bins."""
    table = {}
    for n in levels:
        tally = {"small": 0, "count": 0, "tail": 0, "same": 0, "residues": set()}
        for a in sizes:
            if a < n:
                tally["small"] += 1  # stride floor(a/n) would be 0
                continue
            wins = paper_windows(a, n)
            if len(wins) != n:
                tally["count"] += 1
            elif wins != adaptive_windows(a, n):
                tally["tail"] += 1
            else:
                tally["same"] += 1
                tally["residues"].add(a % n)
        table[n] = tally
    return table


if __name__ == "__main__":
    print("level | a < n | too many bins | n bins, tail lost | same as adaptive")
    for n, t in sweep().items():
        print(f"{n:>5} | {t['small']:>5} | {t['count']:>13} | {t['tail']:>17} | "
              f"{t['same']:>3}  (a mod n in {sorted(t['residues'])})")

# %% [markdown]
# ### What the tests check
#
# ## Pitfalls

# %%
import torch

if __name__ == "__main__":
    try:
        SpatialPyramidPooling((4, 2, 1))(torch.zeros(1, 8, 3, 9))
    except ValueError as err:
        print("ValueError:", err)

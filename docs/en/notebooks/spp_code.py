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
# ## From a window to feature-map cells
#
# ### Receptive fields, layer by layer

# %%
import torch
from torch import nn


def layer_geometry(model):
    """(kind, kernel, stride, padding) of every Conv2d and MaxPool2d of a model, in order."""
    layers = []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.MaxPool2d)):
            k, s, p = (v if isinstance(v, int) else v[0]
                       for v in (m.kernel_size, m.stride, m.padding))
            layers.append(("conv" if isinstance(m, nn.Conv2d) else "pool", k, s, p))
    return layers


def receptive_fields(model):
    """After each layer: S (product of the strides so far), the receptive field r
    (pixels per side) and the centre c0 of cell 0 in image pixels. Cell x' of that
    layer is centred at pixel c0 + S * x' and sees pixels c0 + S * x' +- (r - 1) / 2."""
    stride, size, centre, rows = 1, 1, 0.0, []
    for kind, k, s, p in layer_geometry(model):
        size += (k - 1) * stride
        centre += ((k - 1) / 2 - p) * stride  # 0 when p = (k - 1) / 2: odd k, pad k // 2
        stride *= s
        rows.append((kind, k, s, p, stride, size, centre))
    return rows


torch.manual_seed(0)
zf_like = nn.Sequential(  # every layer padded by floor(p/2), as in the paper's deployment
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU())

if __name__ == "__main__":
    print("layer  p  s  pad |  S   r  centre of cell 0")
    for kind, k, s, p, stride, size, centre in receptive_fields(zf_like):
        print(f"{kind:<5} {k:>2} {s:>2} {p:>4} | {stride:>2} {size:>3}  {centre:g}")
    *_, stride, size, centre = receptive_fields(backbone)[-1]
    print(f"the detection backbone above: S={stride}, r={size}, "
          f"cell x' centred at {centre:g} + {stride}x'")

# %% [markdown]
# ### The mapping, and what the +1 and −1 do

# %%
import math


def map_window(window, image_size, stride, offset=0.0):
    """SPP-net, Appendix A: window (x0, y0, x1, y1) in image pixels (0-based, inclusive)
    -> the cells (left, top, right, bottom), inclusive, of a map whose cell x' is centred
    at pixel offset + stride * x'. Left/top: floor(x/S) + 1; right/bottom: ceil(x/S) - 1."""
    height, width = image_size
    x0, y0, x1, y1 = window
    if x1 < x0 or y1 < y0:
        raise ValueError(f"window {tuple(window)} is empty: need x0 <= x1 and y0 <= y1")
    if not (0 <= x0 <= x1 <= width - 1 and 0 <= y0 <= y1 <= height - 1):
        raise ValueError(f"window {tuple(window)} is not inside the {width}x{height} image "
                         f"(need 0 <= x0 <= x1 <= {width - 1} and 0 <= y0 <= y1 <= {height - 1})")
    left = math.floor((x0 - offset) / stride) + 1
    top = math.floor((y0 - offset) / stride) + 1
    right = math.ceil((x1 - offset) / stride) - 1
    bottom = math.ceil((y1 - offset) / stride) - 1
    if left > right or top > bottom:
        raise ValueError(f"window {tuple(window)} maps to no feature-map cell: no receptive-"
                         f"field centre (every {stride} pixels) lies strictly inside it")
    return left, top, right, bottom


if __name__ == "__main__":
    for window in [(41, 41, 103, 103), (40, 40, 103, 103), (40, 40, 104, 104)]:
        left, top, right, bottom = map_window(window, (256, 256), stride=8)
        closed = (math.ceil(window[0] / 8), math.floor(window[2] / 8))  # no +1 / -1
        print(f"window {window}: cells {left}..{right}, centres {8 * left}..{8 * right}"
              f"  | ceil/floor would give {closed[0]}..{closed[1]}")

# %%
import math

import torch


def check_windows(count=10_000, size=256, stride=8, seed=0):
    """Random windows: the cells map_window picks vs the cells whose centre lies inside."""
    g = torch.Generator().manual_seed(seed)
    found = {"windows": 0, "strictly inside": 0, "+1/-1 changed it": 0, "... on a multiple of S": 0}
    margins = set()
    for _ in range(count):
        x0, x1 = sorted(torch.randint(0, size, (2,), generator=g).tolist())
        if x1 - x0 < 2 * stride:  # too narrow to hold a centre for sure
            continue
        found["windows"] += 1
        left, _, right, _ = map_window((x0, 0, x1, size - 1), (size, size), stride)
        inside = [c for c in range(size // stride) if x0 < stride * c < x1]
        found["strictly inside"] += [left, right] == [inside[0], inside[-1]]
        if (left, right) != (math.ceil(x0 / stride), math.floor(x1 / stride)):
            found["+1/-1 changed it"] += 1
            found["... on a multiple of S"] += x0 % stride == 0 or x1 % stride == 0
        margins |= {stride * left - x0, x1 - stride * right}
    return found, sorted(margins)


if __name__ == "__main__":
    found, margins = check_windows()
    print(f"{found['windows']} windows; their cells are exactly those centred strictly "
          f"inside in {found['strictly inside']}")
    print(f"windows where the +1 / -1 changed the cells: {found['+1/-1 changed it']}, "
          f"of which an edge sits on a multiple of 8: {found['... on a multiple of S']}")
    print(f"first/last centre lies {margins[0]} to {margins[-1]} pixels inside the edge")

# %% [markdown]
# ### The shared map against the crop's own features

# %%
import math

import torch
import torch.nn.functional as F


def spp_vector(fmap, levels=(4, 2, 1)):
    return torch.cat([F.adaptive_max_pool2d(fmap, n).flatten() for n in levels])


def crop_rings(net, image, count=50, seed=2):
    """Windows with corners on the 8-pixel grid: a crop's own map cell by cell against
    the shared map's cell at the same place. {distance to the crop's edge in cells:
    largest difference / largest value of the shared map}."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        shared = net(image)
    worst = {}
    for _ in range(count):
        c0, r0 = torch.randint(4, 20, (2,), generator=g).tolist()
        w, h = torch.randint(8, 13, (2,), generator=g).tolist()
        with torch.no_grad():
            own = net(image[..., 8 * r0:8 * (r0 + h), 8 * c0:8 * (c0 + w)])
        diff = (own - shared[..., r0:r0 + h, c0:c0 + w]).abs().amax(dim=(0, 1))
        for i in range(h):
            for j in range(w):
                ring = min(i, j, h - 1 - i, w - 1 - j)
                worst[ring] = max(worst.get(ring, 0.0), diff[i, j].item())
    return {ring: d / shared.abs().max().item() for ring, d in sorted(worst.items())}


RULES = {  # window (x0, y0, x1, y1) -> cells (left, top, right, bottom), S = 8
    "paper: floor+1, ceil-1": lambda win: map_window(win, (256, 256), stride=8),
    "closed: ceil, floor": lambda win: (*(math.ceil(v / 8) for v in win[:2]),
                                        *(math.floor(v / 8) for v in win[2:])),
    "nearest: round": lambda win: (*(math.floor(v / 8 + 0.5) for v in win[:2]),
                                   *(math.ceil(v / 8 - 0.5) for v in win[2:]))}


def pooled_gap(net, image, at_border, count=100, seed=3):
    """Mean of |SPP(mapped cells of the shared map) - SPP(crop's own map)| / |SPP(crop's)|
    over random windows 64 to 128 pixels wide, for each rule, away from the image's
    border (48 pixels or more) or touching its left edge."""
    g = torch.Generator().manual_seed(seed)
    side = image.shape[-1]
    with torch.no_grad():
        shared = net(image)
    gaps = dict.fromkeys(RULES, 0.0)
    for _ in range(count):
        w, h = torch.randint(64, 129, (2,), generator=g).tolist()
        y0 = torch.randint(48, side - 48 - h, (1,), generator=g).item()
        x0 = 0 if at_border else torch.randint(48, side - 48 - w, (1,), generator=g).item()
        x1, y1 = x0 + w - 1, y0 + h - 1
        with torch.no_grad():
            own = spp_vector(net(image[..., y0:y1 + 1, x0:x1 + 1]))
        for name, rule in RULES.items():
            left, top, right, bottom = rule((x0, y0, x1, y1))
            mapped = spp_vector(shared[..., top:bottom + 1, left:right + 1])
            gaps[name] += ((mapped - own).norm() / own.norm()).item() / count
    return gaps


if __name__ == "__main__":
    net = zf_like.double()  # float64: the printed digits are the same on every CPU
    image = torch.randn(1, 3, 256, 256, dtype=torch.float64,
                        generator=torch.Generator().manual_seed(1))
    rings = crop_rings(net, image)
    print("cells from the crop's edge:", "  ".join(f"{r}: {d:.3f}" for r, d in rings.items()))
    inside, border = pooled_gap(net, image, False), pooled_gap(net, image, True)
    print("rule                    | window inside | touching the left edge")
    for name in RULES:
        print(f"{name:<23} | {inside[name]:>13.3f} | {border[name]:>10.3f}")

# %%
if __name__ == "__main__":
    for window in [(200, 10, 300, 90), (60, 10, 50, 90), (41, 10, 47, 90)]:
        try:
            map_window(window, (256, 256), stride=8)
        except ValueError as err:
            print("ValueError:", err)

# %% [markdown]
# ## Pitfalls

# %%
import torch

if __name__ == "__main__":
    try:
        SpatialPyramidPooling((4, 2, 1))(torch.zeros(1, 8, 3, 9))
    except ValueError as err:
        print("ValueError:", err)

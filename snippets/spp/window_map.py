"""SPP-net's Appendix A: from a window in the image to the cells of the last conv feature map."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.spp.detection import backbone

# needs: detection.py:once_per_image
# --8<-- [start:receptive_fields]
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
# --8<-- [end:receptive_fields]


# --8<-- [start:map_window]
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
# --8<-- [end:map_window]


# needs: map_window
# --8<-- [start:what_it_selects]
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
# --8<-- [end:what_it_selects]


# needs: receptive_fields, map_window
# --8<-- [start:shared_vs_crop]
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
# --8<-- [end:shared_vs_crop]


# needs: map_window
# --8<-- [start:bad_windows]
if __name__ == "__main__":
    for window in [(200, 10, 300, 90), (60, 10, 50, 90), (41, 10, 47, 90)]:
        try:
            map_window(window, (256, 256), stride=8)
        except ValueError as err:
            print("ValueError:", err)
# --8<-- [end:bad_windows]

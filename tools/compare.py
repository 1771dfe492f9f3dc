"""Does a generated file show the reader what the committed one shows?

Text (printed outputs, notebooks, scripts) must be identical: a reader compares what they
run with the page character by character, so outputs print only digits that no CPU's
kernels change (see README, "Outputs that hold on any machine").

A figure is compared by what it draws, not by its bytes. Matplotlib writes coordinates with
six decimals and names clip paths and markers by a hash of their content, so another CPU's
last-bit differences rewrite the file without moving anything a reader could see. Two SVGs
are the same figure when:

- everything but numbers in tags, element ids and embedded images is identical, text
  included (labels, tick values and every number printed in the figure are exact);
- every coordinate, size or other number inside a tag is within COORDINATE_TOLERANCE;
- every embedded image has the same size and at most PIXEL_SHARE of its pixels differ by
  more than PIXEL_LEVELS in some channel.
"""

from __future__ import annotations

import base64
import io
import re

COORDINATE_TOLERANCE = 0.1  # SVG user units (pt): 1/720 inch, a tenth of a CSS pixel at 96 dpi
PIXEL_LEVELS = 2  # of 255
PIXEL_SHARE = 0.01

IMAGE = re.compile(rb"data:image/(png|jpeg);base64,([A-Za-z0-9+/=\n]+)")
ID = re.compile(r'(?<=id=")[^"]+|(?<=url\(#)[^)]+|(?<=href="#)[^"]+')
TAG = re.compile(r"(<[^>]*>)")
# A number that is not part of a name or a hex colour (#1f77b4).
NUMBER = re.compile(r"(?<![#\w.])-?\d+(?:\.\d*)?(?:e[-+]?\d+)?")


def difference(path: str, committed: bytes, generated: bytes) -> str | None:
    """None when a reader sees the same thing in both files; otherwise what differs."""
    if committed == generated:
        return None
    if not path.endswith(".svg"):
        return "the text differs"
    return svg_difference(committed, generated)


def _parts(svg: bytes) -> tuple[str, list[float], list[tuple[str, bytes]]]:
    """(skeleton, numbers inside tags, embedded images) of an SVG, ids renamed by first use."""
    images = [(m[1].decode(), base64.b64decode(m[2])) for m in IMAGE.finditer(svg)]
    text = IMAGE.sub(b"data:image", svg).decode("utf-8")
    names: dict[str, str] = {}
    text = ID.sub(lambda m: names.setdefault(m[0], f"id{len(names)}"), text)
    skeleton, numbers = [], []
    for piece in TAG.split(text):
        if piece.startswith("<"):
            numbers += [float(n) for n in NUMBER.findall(piece)]
            piece = NUMBER.sub("#", piece)
        skeleton.append(piece)
    return "".join(skeleton), numbers, images


def svg_difference(committed: bytes, generated: bytes) -> str | None:
    import numpy as np
    from PIL import Image

    (s1, n1, i1), (s2, n2, i2) = _parts(committed), _parts(generated)
    if s1 != s2:
        a, b = s1.splitlines(), s2.splitlines()
        line = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        show = (a[line:line + 1] or [""])[0][:160], (b[line:line + 1] or [""])[0][:160]
        return f"the drawing differs beyond coordinates (line {line + 1}: {show[0]!r} -> {show[1]!r})"
    moved = [abs(x - y) for x, y in zip(n1, n2, strict=True)]  # equal skeletons: as many numbers
    if moved and max(moved) > COORDINATE_TOLERANCE:
        return (f"{sum(m > COORDINATE_TOLERANCE for m in moved)} coordinates moved by more than "
                f"{COORDINATE_TOLERANCE} (up to {max(moved):.3g})")
    for number, ((k1, d1), (k2, d2)) in enumerate(zip(i1, i2, strict=True), 1):
        p1, p2 = (np.asarray(Image.open(io.BytesIO(d)).convert("RGBA"), dtype=int) for d in (d1, d2))
        if k1 != k2 or p1.shape != p2.shape:
            return f"embedded image {number} changed format or size ({k1} {p1.shape} -> {k2} {p2.shape})"
        share = float((np.abs(p1 - p2).max(axis=-1) > PIXEL_LEVELS).mean())
        if share > PIXEL_SHARE:
            return f"embedded image {number}: {share:.1%} of its pixels changed by more than {PIXEL_LEVELS} levels"
    return None

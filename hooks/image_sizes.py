"""Give every figure its intrinsic width and height (read from the SVG) and lazy loading, so
the page does not jump while figures arrive and figures below the fold cost nothing upfront.

The <img> can only say whole pixels, and matplotlib sizes its SVGs in points: 237.6pt is
316.8px, written as 317. When such a figure arrived, the browser took the SVG's own aspect
ratio and moved everything below it by a fraction of a pixel: a Chromium trace of /detr/ showed
that relayout and a repaint of the whole page (about 10 ms) while it loads. So the built site's
copy of each SVG states the same whole-pixel size as its <img> (its viewBox keeps the drawing,
which scales by less than a pixel)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

IMG = re.compile(r'<img (?P<attrs>[^>]*?)src="(?P<src>[^"]+\.svg)"(?P<rest>[^>]*)>')
# The root <svg>'s size: read for the <img>, rewritten in the built copy.
ROOT_SIZE = re.compile(r'(?P<before><svg\b[^>]*?\swidth=")(?P<w>[\d.]+)(?P<unit>pt|px)?'
                       r'(?P<between>"[^>]*?\sheight=")(?P<h>[\d.]+)(?:pt|px)?"', re.S)


def pixels(size: re.Match) -> tuple[int, int]:
    scale = 4 / 3 if size["unit"] == "pt" else 1  # CSS: 1pt = 4/3 px
    return round(float(size["w"]) * scale), round(float(size["h"]) * scale)


def on_page_content(html, page, config, files):
    here = posixpath.dirname(page.file.src_uri)

    def sized(m):
        if "width=" in m["attrs"] + m["rest"]:
            return m[0]
        path = Path(config.docs_dir) / posixpath.normpath(posixpath.join(here, m["src"]))
        if not path.is_file():
            return m[0]  # MkDocs reports the broken link itself
        head = path.read_text(encoding="utf-8")[:2000]
        size = ROOT_SIZE.search(head)
        if not size:
            return m[0]
        w, h = pixels(size)
        return (f'<img {m["attrs"]}src="{m["src"]}" width="{w}" height="{h}" loading="lazy" '
                f'decoding="async"{m["rest"]}>')

    return IMG.sub(sized, html)


def whole_pixels(svg: str) -> str:
    """The SVG with its root width and height in the whole pixels its <img> states."""
    size = ROOT_SIZE.search(svg, 0, 2000)
    if not size:
        return svg
    w, h = pixels(size)
    return f'{svg[:size.start()]}{size["before"]}{w}px{size["between"]}{h}px"{svg[size.end():]}'


def on_post_build(config):
    for path in Path(config["site_dir"]).rglob("*.svg"):
        text = path.read_text(encoding="utf-8")
        if (fixed := whole_pixels(text)) != text:
            path.write_text(fixed, encoding="utf-8")

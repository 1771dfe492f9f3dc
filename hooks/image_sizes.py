"""Give every figure its intrinsic width and height (read from the SVG) and lazy loading, so
the page does not jump while figures arrive and figures below the fold cost nothing upfront."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

IMG = re.compile(r'<img (?P<attrs>[^>]*?)src="(?P<src>[^"]+\.svg)"(?P<rest>[^>]*)>')
SIZE = re.compile(r'<svg[^>]*?\swidth="(?P<w>[\d.]+)(?P<unit>pt|px)?"[^>]*?\sheight="(?P<h>[\d.]+)(?:pt|px)?"', re.S)


def on_page_content(html, page, config, files):
    here = posixpath.dirname(page.file.src_uri)

    def sized(m):
        if "width=" in m["attrs"] + m["rest"]:
            return m[0]
        path = Path(config.docs_dir) / posixpath.normpath(posixpath.join(here, m["src"]))
        if not path.is_file():
            return m[0]  # MkDocs reports the broken link itself
        head = path.read_text(encoding="utf-8")[:2000]
        size = SIZE.search(head)
        if not size:
            return m[0]
        scale = 4 / 3 if size["unit"] == "pt" else 1  # CSS: 1pt = 4/3 px
        w, h = round(float(size["w"]) * scale), round(float(size["h"]) * scale)
        return (f'<img {m["attrs"]}src="{m["src"]}" width="{w}" height="{h}" loading="lazy" '
                f'decoding="async"{m["rest"]}>')

    return IMG.sub(sized, html)

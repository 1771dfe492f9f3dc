"""Render math at build time: pymdownx.arithmatex (generic mode) marks it up, this hook
replaces the TeX with MathML, which browsers draw natively. No script, no font download."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
BLOCK = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


def on_page_content(content, page, config, files):
    def inline(m):
        return convert(html.unescape(m[1]))

    def block(m):
        return f'<div class="math">{convert(html.unescape(m[1]), display="block")}</div>'

    return INLINE.sub(inline, BLOCK.sub(block, content))

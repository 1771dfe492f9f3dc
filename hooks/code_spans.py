"""Fewer elements in highlighted code.

Pygments wraps every token in its own <span>: names, whitespace, punctuation, operators.
On an article page those four kinds are over 80% of all elements (detr: ~6,100 of ~8,900),
and the theme's scripts make the browser restyle every element several times while the page
loads: on a mid-range phone that blocked the page for about a second (Lighthouse, `make bench`).
They are also the tokens with least to say: names and whitespace already look exactly like
the code around them (Material's --md-code-hl-name-color is the code colour), and
punctuation and operators were only a lighter grey. Unwrapping them leaves keywords,
strings, numbers, comments, builtins and definitions coloured as before, and keeps the text,
and so what the copy button copies, byte for byte.
"""

from __future__ import annotations

import re

# n: name, w: whitespace, p: punctuation, o: operator (not `ow`, `in`/`and`: keyword-coloured).
PLAIN_TOKEN = re.compile(r'<span class="[nwpo]">([^<]*)</span>')


def on_post_page(output, page, config):
    return PLAIN_TOKEN.sub(r"\1", output)

"""Join lines that break between two Chinese characters.

Browsers render a line break inside a paragraph as a space, which English needs between
words and Chinese never has between characters: a paragraph wrapped in the Markdown source
would show stray spaces. Here a break (and the next line's indentation) between two CJK
characters or CJK punctuation marks is removed from every page as written (articles and the
listings' excerpts alike), outside <pre>, <script>, <style> and <textarea>.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
BREAK = re.compile(f"(?<=[{CJK}])[ \\t]*\\n[ \\t]*(?=[{CJK}])")
KEEP = re.compile(r"(<(pre|script|style|textarea)\b.*?</\2>)", re.S)


def join_cjk_lines(html: str) -> str:
    parts = KEEP.split(html)  # text, kept element, its tag name, text, ...
    return "".join(BREAK.sub("", part) if i % 3 == 0 else part if i % 3 == 1 else "" for i, part in enumerate(parts))


def on_post_page(output, page, config):
    return join_cjk_lines(output)

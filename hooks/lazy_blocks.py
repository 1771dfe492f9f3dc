"""Long pages paint as fast as short ones: the browser lays out only what is near the screen.

A Chromium trace of /detr/ (4,400 elements) showed its first layout, with style, taking
110-150 ms on this machine, most of it for blocks far below the first screen, and in the
simulated slow phone of `make bench` that one task counted as blocking time. So each top-level
block of an article that starts below the first screens (an estimated 2,500 px at a
phone's width) gets `data-later="<estimated height in px>"`. `assets/site.css` turns that into
`content-visibility: auto`: the browser skips the block's style, layout and paint until it
comes near the viewport, and holds its place with the estimated height meanwhile. The text stays
in the page, for find-in-page, screen readers and links to anchors.

Headings are never skipped, so that the table of contents, which reads their positions, does
not make the browser lay out skipped blocks. In the last screen before the footer the estimates
are doubled: a skipped block taller than its estimate spills over what follows whenever its
layout is forced (axe-core does, to check contrast), which is harmless over other skipped
blocks but reads as text on the footer's dark background.

Tried and left out: painting the page only once its HTML is parsed (`<link rel="expect"
blocking="render">`). With this hook it delayed the first paint of /detr/ and /transformer/
from 1.2-1.4 s to 1.6-1.8 s in Lighthouse and did not raise their scores (three paired runs each).

The estimate is a least-squares fit of the real heights of the blocks of eight articles in both
languages at a phone's width; tests/site/test_browser.py checks that it keeps each article's
height close to the real one."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP_BELOW_PX = 2500   # about three phone screens; the browser renders 50% of one beyond the screen
LAST_SCREEN_PX = 1000
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}
HEADING = re.compile(r"h[1-6]")


class _TopLevel(HTMLParser):
    """Tag names, start offsets and start-tag lengths of the top-level elements of a fragment;
    `balanced` is false when an end tag does not close the element open at that point."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.open, self.starts, self.balanced = [], [], True

    def record(self, tag):
        if not self.open:
            line, column = self.getpos()
            self.starts.append((tag, self.line_starts[line - 1] + column, len(self.get_starttag_text())))

    def handle_starttag(self, tag, attrs):
        self.record(tag)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):  # <img ... />: opens nothing
        self.record(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open.pop() != tag:
            self.balanced = False


def blocks(html: str) -> list[tuple[str, int, int, int]]:
    """(tag, start, end of the start tag, end) of each top-level element, up to where the next
    one starts; empty when the fragment's tags do not nest (nothing is then marked)."""
    parser = _TopLevel(html)
    parser.feed(html)
    parser.close()
    if not parser.balanced or parser.open:
        return []
    ends = [start for _, start, _ in parser.starts[1:]] + [len(html)]
    return [(tag, start, start + length, end)
            for (tag, start, length), end in zip(parser.starts, ends, strict=True)]


def estimated_px(block: str) -> int:
    """Height at a phone's width (about 23 em of text per line), fitted on the articles: 26.5 px a
    line of text, 19 px a line of code plus 29 px a code block, figures at their scaled height."""
    code = re.findall(r"<pre\b.*?</pre>", block, flags=re.S)
    prose = re.sub(r"<pre\b.*?</pre>", "", block, flags=re.S)
    text_lines = 0
    for run in re.split(r"<(?:p|li|tr|h\d|summary|figcaption)\b[^>]*>", prose):  # each starts a line
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", run)).strip()
        ems = sum(1 if ch >= "\u2e80" else 0.55 for ch in text)  # CJK is 1 em wide, Latin about half
        text_lines += -(-ems // 23)
    figures = 0.0
    for img in re.finditer(r'<img\b[^>]*\bwidth="(\d+)" height="(\d+)"', block):
        width, height = int(img[1]), int(img[2])
        figures += height * min(1, 380 / width)
    code_lines = sum(pre.count("\n") + 1 for pre in code)
    if not (text_lines or figures or code):
        return 0  # an empty anchor <div>
    return round(26.5 * text_lines + 19 * code_lines + 29 * len(code) + figures + 10)


def mark(html: str) -> str:
    """`html` with data-later on each top-level block below the first screens, except headings;
    in the last screen the estimates are doubled (see the module's docstring). The attribute
    goes last in the start tag, so that `<div class="math"` and the like still read the same."""
    found = blocks(html)
    heights = [estimated_px(html[start:end]) for _, start, _, end in found]
    total, above, out, done = sum(heights), 0, [], 0
    for (tag, start, tag_end, _), height in zip(found, heights, strict=True):
        if (above > SKIP_BELOW_PX and height and not HEADING.fullmatch(tag)
                and " data-later=" not in html[start:tag_end]):  # marked once only
            placeholder = height * 2 if total - above < LAST_SCREEN_PX else height
            insert_at = tag_end - (2 if tag in VOID and html[tag_end - 2] == "/" else 1)
            out += [html[done:insert_at], f' data-later="{placeholder}"']
            done = insert_at
        above += height
    return "".join(out) + html[done:]


ARTICLE = '<article class="md-content__inner md-typeset">'


def on_post_page(output, page, config):
    # Articles only: a notebook page is one block, the listings are short. This runs after the
    # hooks that rewrite the article's markup (accessibility.py, material_bundle.py).
    if not page.file.src_uri.startswith("posts/") or ARTICLE not in output:
        return output
    start = output.index(ARTICLE) + len(ARTICLE)
    end = output.index("</article>", start)
    return output[:start] + mark(output[start:end]) + output[end:]

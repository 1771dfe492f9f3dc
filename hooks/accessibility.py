"""Small fixes to the theme's markup that axe-core asks for (tests/site/test_browser.py runs
axe on every page type): a name for the search dialog, unique names for navigation landmarks
(the blog adds unnamed ones), and keyboard focus for regions that scroll sideways."""

from __future__ import annotations

import re

# (pattern, replacement) pairs; `{...}` fields are filled from extra.labels in the config.
FIXES = [
    (r'<div class="md-search" data-md-component="search" role="dialog">',
     '<div class="md-search" data-md-component="search" role="dialog" aria-label="{search}">'),
    (r'<nav class="md-nav md-nav--primary">', '<nav class="md-nav md-nav--primary" aria-label="{post_meta}">'),
    # Purely presentational wrappers that the blog templates make landmarks: plain divs.
    (r'<nav class="md-nav">(.*?)</nav>', r'<div class="md-nav">\1</div>'),
    (r'<nav class="md-post__action">(.*?)</nav>', r'<div class="md-post__action">\1</div>'),
    # Wide math and notebook code scroll sideways: keyboard users must be able to reach them.
    (r'<div class="math">', '<div class="math" tabindex="0">'),
    (r'<div class="highlight-ipynb', '<div tabindex="0" class="highlight-ipynb'),
    # Code blocks too. Material sets this itself, but only when it mounts a block, and with
    # content.lazy that waits until the block scrolls into view; it then removes the
    # attribute again from a block that fits.
    (r'<pre><span></span><code>', '<pre><span></span><code tabindex="0">'),
]


def on_post_page(output, page, config):
    labels = config.extra["labels"]
    for pattern, replacement in FIXES:
        replacement = replacement.replace("{search}", labels["search"]).replace("{post_meta}", labels["post_meta"])
        output = re.sub(pattern, replacement, output, flags=re.S)
    return output

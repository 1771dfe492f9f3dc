"""Render listing excerpts from the excerpt alone.

Material's blog renders the *whole* post again for every listing it appears in (the home
page and its category page) and then cuts the HTML at `<!-- more -->`. Our posts are long
and mostly highlighted code, so that tripled the cost of highlighting and was about a third
of the build. Here the post's Markdown is cut at the separator for the duration of that
render (a placeholder after the separator keeps the "continue reading" link).
If Material changes this internal method, the hook leaves it alone and the build is merely slower.
"""

from __future__ import annotations

import functools

try:
    from material.plugins.blog.structure import Excerpt
except ImportError:  # pragma: no cover - a Material without the blog plugin
    Excerpt = None


def _cut_before_render(render):
    @functools.wraps(render)
    def wrapper(self, page, separator):
        full = self.post.markdown
        head, found, _ = full.partition(separator)
        if found:
            self.post.markdown = f"{head}{separator}\n\n…\n"
        try:
            return render(self, page, separator)
        finally:
            self.post.markdown = full

    wrapper.cuts_excerpts = True
    return wrapper


def on_startup(command, dirty):
    if Excerpt is not None and hasattr(Excerpt, "render") and not getattr(Excerpt.render, "cuts_excerpts", False):
        Excerpt.render = _cut_before_render(Excerpt.render)

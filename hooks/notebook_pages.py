"""Three things for the rendered notebook pages (mkdocs-jupyter):

- they stay out of the search index: they repeat their article's code, and they made the
  index (which a reader downloads on opening search) about a third bigger;
- the stylesheet that nbconvert inlines into every notebook page (about 600 KB) moves into
  one shared file, assets/notebook-<hash>.css: the browser caches it once, pages shrink, and
  the Content-Security-Policy does not have to allow inline styles;
- no "edit this page" button: a notebook is generated from the snippets, never edited.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.plugins import event_priority

STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)


@event_priority(100)  # before the search plugin reads the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri.endswith(".ipynb"):
        page.meta["search"] = {"exclude": True}
        page.edit_url = None
    return context


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    css = "\n".join(STYLE.findall(output))
    if not css:
        return output
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    target = Path(config.site_dir) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    to_root = "../" * page.url.count("/")
    link = f'<link rel="stylesheet" href="{to_root}{name}">\n'
    output = STYLE.sub("", output)
    return output.replace("</head>", link + "</head>", 1)

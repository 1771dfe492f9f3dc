"""hreflang for search engines, in sitemap.xml rather than in each page's <head>.

Every page exists at the same path in both languages. Google accepts the alternates either
as <link rel="alternate" hreflang> in the head or as <xhtml:link> entries in the sitemap.
Material writes head links to each language's root, relative, which search engines ignore;
made absolute and page-level, they would not help either: Material's script fetches
`<href>/sitemap.xml` for every such link, a 404 for page-level ones. So the head links are
removed here and the sitemap carries the page-level alternates.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

LOC = re.compile(r"<loc>(?P<url>[^<]+)</loc>")
HEAD_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    return HEAD_LINK.sub("", output)


def on_post_build(config):
    sitemap = Path(config.site_dir) / "sitemap.xml"
    if not sitemap.exists():
        return
    root = config.extra["site_root"].rstrip("/") + "/"
    own = config.site_url  # this language's root

    def alternates(m):
        path = m["url"][len(own):] if m["url"].startswith(own) else ""
        links = "".join(
            f'\n         <xhtml:link rel="alternate" hreflang="{lang}" href="{root}{prefix}{path}"/>'
            for lang, prefix in (("zh", ""), ("en", "en/"), ("x-default", ""))
        )
        return m[0] + links

    text = sitemap.read_text(encoding="utf-8")
    text = text.replace(
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"', 1)
    text = LOC.sub(alternates, text)
    sitemap.write_text(text, encoding="utf-8")
    # Keep the .gz in step, with a fixed timestamp so the build stays reproducible.
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    with open(sitemap.with_suffix(".xml.gz"), "wb") as raw, gzip.GzipFile(
        filename="", fileobj=raw, mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))

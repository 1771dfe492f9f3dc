"""An Atom feed of the articles, one per language (feed.xml at the language's root), linked
from every page's head so feed readers find it.

Each entry comes from the article's front matter: title, description (the summary), date
(published) and, where the article changed after publication, `date: {updated: …}`. Dates, not the build
time, stamp the feed, so two builds of one commit write the same file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.regions import post_dates  # noqa: E402

_entries: list[dict] = []


def on_pre_build(config):
    _entries.clear()


def on_page_context(context, page, config, nav):
    if page.file.src_uri.startswith("posts/") and page.meta.get("slug"):
        created, updated = post_dates(page.meta)
        _entries.append({
            "title": page.meta["title"], "summary": page.meta.get("description", ""),
            "url": config.site_url + page.url, "published": f"{created}T00:00:00Z",
            "updated": f"{updated or created}T00:00:00Z",
        })
    return context


def _feed_url(config) -> str:
    return config.site_url + "feed.xml"


def on_post_page(output, page, config):
    link = (f'<link rel="alternate" type="application/atom+xml" title="{escape(config.site_name)}" '
            f'href="{_feed_url(config)}">')
    return output.replace("</head>", f"  {link}\n  </head>", 1)


def on_post_build(config):
    entries = sorted(_entries, key=lambda e: (e["published"], e["title"]), reverse=True)
    updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
    lang = config.theme["language"]
    items = "".join(
        f"""  <entry>
    <title>{escape(e["title"])}</title>
    <link href="{escape(e["url"])}"/>
    <id>{escape(e["url"])}</id>
    <published>{e["published"]}</published>
    <updated>{e["updated"]}</updated>
    <summary>{escape(e["summary"])}</summary>
  </entry>
""" for e in entries)
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">
  <title>{escape(config.site_name)}</title>
  <subtitle>{escape(config.site_description or "")}</subtitle>
  <link href="{escape(_feed_url(config))}" rel="self"/>
  <link href="{escape(config.site_url)}"/>
  <id>{escape(config.site_url)}</id>
  <updated>{updated}</updated>
  <author><name>{escape(config.site_name)}</name></author>
{items}</feed>
"""
    Path(config.site_dir, "feed.xml").write_text(feed, encoding="utf-8")

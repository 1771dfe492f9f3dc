"""What readers of a technical blog expect besides the articles: a feed per language and link
previews (Open Graph and Twitter meta, a preview image per article in its language)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest

from tools.regions import LANGS, ROOT, front_matter, package, pages

ATOM = "{http://www.w3.org/2005/Atom}"


def root_of(site, lang):
    return site if lang == "zh" else site / "en"


def meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter|article):[^"]+)" content="([^"]*)">', html))


@pytest.mark.parametrize("lang", LANGS)
def test_feed_lists_every_article_with_title_date_summary_and_link(site, base_url, lang):
    feed = ET.parse(root_of(site, lang) / "feed.xml").getroot()
    prefix = f"{base_url}/" + ("" if lang == "zh" else "en/")
    entries = {e.find(f"{ATOM}link").get("href"): e for e in feed.findall(f"{ATOM}entry")}
    assert set(entries) == {f"{prefix}{slug}/" for slug in pages(lang)}
    for slug, page in pages(lang).items():
        front = front_matter(page.read_text(encoding="utf-8"))
        entry = entries[f"{prefix}{slug}/"]
        assert entry.find(f"{ATOM}title").text == front["title"]
        assert entry.find(f"{ATOM}summary").text == front["description"]
        assert entry.find(f"{ATOM}published").text.startswith(front["date"])
        assert entry.find(f"{ATOM}updated").text.startswith(front.get("updated", front["date"]))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_the_feed_and_carries_link_preview_meta(site, base_url, lang):
    root = root_of(site, lang)
    feed = f"{base_url}/" + ("" if lang == "zh" else "en/") + "feed.xml"
    locale = {"zh": "zh_CN", "en": "en_US"}[lang]
    for page in [p for p in root.rglob("index.html") if lang == "en" or "en" not in p.relative_to(root).parts]:
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(site)
        assert 'type="application/atom+xml" title="' in html and f'href="{feed}"' in html, where
        tags = meta(html)
        for key in ("og:title", "og:description", "og:url", "og:image", "twitter:card", "twitter:image"):
            assert tags.get(key), f"{where}: no {key}"
        assert tags["og:locale"] == locale and tags["og:url"].startswith(base_url), where


@pytest.mark.parametrize("lang", LANGS)
def test_each_article_has_its_own_preview_image_in_its_language(site, lang):
    from PIL import Image

    images = set()
    for slug, page in pages(lang).items():
        tags = meta((root_of(site, lang) / slug / "index.html").read_text(encoding="utf-8"))
        title = front_matter(page.read_text(encoding="utf-8"))["title"]
        assert tags["og:title"] == title and tags["og:type"] == "article"
        assert tags["og:image"].endswith(f"/assets/social/{slug}.png")
        png = (root_of(site, lang) / "assets" / "social" / f"{slug}.png").read_bytes()
        assert Image.open(io.BytesIO(png)).size == (1200, 630)
        images.add(png)
    assert len(images) == len(pages(lang)), "two articles share a preview image"


@pytest.mark.parametrize("lang", LANGS)
def test_articles_link_their_markdown_and_code_in_the_repository_and_notebooks_do_not_offer_edits(site, lang):
    import yaml

    repo = yaml.safe_load((ROOT / "mkdocs.yml").read_text().split("repo_url: ", 1)[1].split("\n")[0]
                          .replace("!ENV ", ""))[1]
    for slug in pages(lang):
        html = (root_of(site, lang) / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="{repo}/edit/main/docs/{lang}/posts/{slug}.md"' in html
        assert f'href="{repo}/raw/main/docs/{lang}/posts/{slug}.md"' in html
        assert f'href="{repo}/tree/main/snippets/{package(slug)}"' in html
        assert f'href="{repo}/tree/main/tests/{package(slug)}"' in html
        assert "data-md-component=\"source\"" not in html, "Material's header widget would call GitHub's API"
        notebook = (root_of(site, lang) / "notebooks" / slug / "index.html").read_text(encoding="utf-8")
        assert 'rel="edit"' not in notebook


@pytest.mark.parametrize("lang", LANGS)
def test_an_article_changed_after_publication_shows_when(site, lang):
    """Front matter `date: {created, updated}`: the page, its link preview and the feed say so."""
    updated = {slug: front_matter(page.read_text(encoding="utf-8")).get("updated")
               for slug, page in pages(lang).items()}
    assert any(updated.values()), "no article is marked as updated"
    for slug, day in updated.items():
        html = (root_of(site, lang) / slug / "index.html").read_text(encoding="utf-8")
        shown = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)', html)
        assert shown == ([front_matter(pages(lang)[slug].read_text(encoding="utf-8"))["date"], day] if day
                         else [front_matter(pages(lang)[slug].read_text(encoding="utf-8"))["date"]]), slug
        assert meta(html).get("article:modified_time") == day, slug

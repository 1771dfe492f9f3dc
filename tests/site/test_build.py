"""The built site: where pages live, what the listing shows, and that it needs no other host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.site.conftest import build
from tools.regions import LANGS, ROOT, front_matter, headings, package, pages

SLUGS = sorted(pages("zh"))


def root_of(site: Path, lang: str) -> Path:
    return site if lang == "zh" else site / "en"


def html(site: Path, lang: str, url: str) -> str:
    return (root_of(site, lang) / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_articles_live_at_language_independent_paths(site, lang):
    for slug in SLUGS:
        page = html(site, lang, slug)
        title = front_matter(pages(lang)[slug].read_text(encoding="utf-8"))["title"]
        assert f"<title>{title}" in page.replace("&lt;", "<"), f"/{lang}/{slug}/ has the wrong title"
        assert f'<html lang="{lang}"' in page


@pytest.mark.parametrize("lang", LANGS)
def test_home_lists_every_article_with_category_date_and_excerpt(site, lang):
    home = html(site, lang, "")
    posts = re.findall(r'<article class="md-post md-post--excerpt">(.*?)</article>', home, re.S)
    assert len(posts) == len(SLUGS)
    for slug in SLUGS:
        post = next((p for p in posts if f'href="{slug}/"' in p), None)
        assert post is not None, f"{slug} missing from the {lang} home page"
        meta = front_matter(pages(lang)[slug].read_text(encoding="utf-8"))
        assert "2026" in post and "11" in post  # the date, in the language's format
        h1 = next(text for level, text, _ in headings(pages(lang)[slug].read_text(encoding="utf-8")) if level == 1)
        h1 = re.sub(r"`([^`]*)`", r"\1", h1)
        assert h1 in re.sub(r"<[^>]+>", "", post).replace("&lt;", "<").replace("&gt;", ">")
        category = meta["categories"].strip("[]").split(",")[0].strip()
        assert category in post
        assert len(re.sub(r"<[^>]+>", "", post)) > len(meta["title"]) + 40, "no excerpt"


@pytest.mark.parametrize("lang", LANGS)
def test_each_category_has_a_page_listing_its_articles(site, lang):
    for slug in SLUGS:
        meta = front_matter(pages(lang)[slug].read_text(encoding="utf-8"))
        category = meta["categories"].strip("[]").split(",")[0].strip()
        page = html(site, lang, f"category/{category.lower().replace(' ', '-')}")
        assert f'href="../../{slug}/"' in page


@pytest.mark.parametrize("lang", LANGS)
def test_notebooks_render_as_pages_and_download_as_files(site, lang):
    base = root_of(site, lang) / "notebooks"
    for slug in SLUGS:
        page = (base / slug / "index.html").read_text(encoding="utf-8")
        assert "jp-CodeCell" in page or "jp-Cell" in page, f"{lang} notebook {slug} not rendered"
        assert (base / slug / f"{slug}.ipynb").is_file()
        assert (base / f"{package(slug)}_code.py").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_code_blocks_link_to_their_source_and_test_served_by_the_site(site, lang):
    for slug in SLUGS:
        page = html(site, lang, slug)
        links = re.findall(r'<p class="snippet-links"[^>]*><a href="([^"]+)">[^<]+</a> · <a href="([^"]+)">', page)
        assert links, f"{slug}: no source/test links"
        for source, test in links:
            for rel in (source, test):
                assert (root_of(site, lang) / slug / rel).resolve().is_file(), rel


class _Resources(HTMLParser):
    """Collects URLs the browser would fetch on its own (not links a reader may click)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("rel") in ("stylesheet", "preload", "icon", "modulepreload", "preconnect"):
            self.urls.append(a.get("href", ""))


def test_no_page_loads_anything_from_another_host(site):
    offenders = []
    for page in site.rglob("*.html"):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(site)}: {u}" for u in parser.urls if re.match(r"(https?:)?//", u)]
    for css in site.rglob("*.css"):
        remote = re.findall(r"url\(['\"]?((?:https?:)?//[^)'\"]+)", css.read_text())
        offenders += [f"{css.relative_to(site)}: {u}" for u in remote]
    assert not offenders, offenders[:10]


def test_math_is_rendered_to_mathml_at_build_time(site):
    page = html(site, "zh", "inheritance-mro")
    assert "<math" in page and 'class="arithmatex"' not in page


def test_missing_region_fails_the_build_naming_page_and_region(tmp_path):
    # A scratch site beside the real one: same config, hooks and snippets, one broken page.
    for name in ("hooks", "snippets", "tools", "tests", "overrides"):
        (tmp_path / name).symlink_to(ROOT / name)
    docs = tmp_path / "docs"
    (docs / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    (docs / "posts" / "broken.md").write_text(
        "---\ntitle: Broken\nslug: broken\ndate: 2026-01-11\ncategories: [Python]\n---\n\n# Broken\n\n"
        '--8<-- "snippets/inheritance_mro/c3.py:no_such_region"\n'
    )
    (tmp_path / "mkdocs.yml").write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\n")
    result = build(tmp_path / "mkdocs.yml", tmp_path / "out", cwd=tmp_path)
    assert result.returncode != 0
    assert "posts/broken.md" in result.stderr and "no_such_region" in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_code_keeps_its_colours_but_not_a_span_per_name_or_comma(site, lang):
    """hooks/code_spans.py: names, whitespace, punctuation and operators lose their spans
    (most of a page's elements); keywords, strings and numbers keep theirs."""
    for slug in SLUGS:
        page = html(site, lang, slug)
        assert not re.search(r'<span class="[nwpo]">', page), f"/{lang}/{slug}/: plain tokens still wrapped"
        assert '<span class="k">' in page or '<span class="kn">' in page, f"/{lang}/{slug}/: keywords lost"
    notebook = html(site, lang, f"notebooks/{SLUGS[0]}")
    assert not re.search(r'<span class="[nwpo]">', notebook) and '<span class="k' in notebook


def test_material_bundle_is_rewritten_and_an_unknown_bundle_fails_the_build(site, tmp_path):
    """hooks/material_bundle.py rewrites five statements of Material's bundle and adds a compile
    hint; another Material version must stop the build, not quietly bring back the work at
    page load."""
    from mkdocs.exceptions import PluginError

    from hooks import material_bundle as hook

    (built,) = (site / "assets" / "javascripts").glob("bundle.*.min.js")
    text = built.read_text(encoding="utf-8")
    assert text.startswith(hook.COMPILE_HINT) and text.count(hook.COMPILE_HINT) == 1
    assert hook.LAZY_INDEX in text and hook.EAGER_INDEX not in text
    assert hook.UNWRAPPED_TABLES in text and hook.EVERY_TABLE not in text and hook.ALTERNATE not in text
    assert hook.CODE_NAV_PLAIN in text and hook.CODE_NAV not in text
    mounts = text[text.index(hook.MOUNTS_START):text.index(hook.MOUNTS_END)]
    assert mounts.count(hook.MOUNT + "$(0).pipe(nt(0),b(()=>") == hook.MOUNT_COUNT
    scratch = tmp_path / "assets" / "javascripts"
    scratch.mkdir(parents=True)
    (scratch / built.name).write_text(text, encoding="utf-8")
    hook.on_post_build({"site_dir": str(tmp_path)})  # already rewritten: left as it is
    assert (scratch / built.name).read_text(encoding="utf-8") == text
    for broken in ("/* some other Material release */", text.replace(hook.LAZY_INDEX, hook.EAGER_INDEX)
                   .replace(hook.MOUNTS_START, "Hs=merge(")):
        (scratch / built.name).write_text(broken, encoding="utf-8")
        with pytest.raises(PluginError, match="material_bundle.py: .* does not contain"):
            hook.on_post_build({"site_dir": str(tmp_path)})


def test_pages_say_js_before_the_body_and_tables_come_in_their_scrolling_box(site):
    """Nothing for the bundle to restyle at load: <html> says `js` from the head on, and every
    table is already in Material's focusable scrolling box."""
    from hooks import material_bundle as hook

    tables = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert hook.HEAD_SCRIPT in text[text.index("<head>"):text.index("</head>")], page
        for table in re.finditer(r"<table>", text):
            tables += 1
            box = re.escape(hook.TABLE_BOX.split("{}")[0]).replace(">", '( data-later="\\d+")?>', 1)  # lazy_blocks.py
            assert re.search(box + "$", text[table.start() - 300:table.start()]), page
    assert tables > 0


class _BlockInParagraph(HTMLParser):
    """Counts block elements opened inside a <p>: a browser closes the <p> there and turns its
    </p> into a new, empty paragraph."""
    BLOCKS = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
              "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
              "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul"}

    def __init__(self):
        super().__init__()
        self.open_p, self.found = False, []

    def handle_starttag(self, tag, attrs):
        if self.open_p and tag in self.BLOCKS:
            self.found.append(tag)
        self.open_p = tag == "p" or (self.open_p and tag not in self.BLOCKS)

    def handle_endtag(self, tag):
        self.open_p = self.open_p and tag != "p"


def test_no_paragraph_holds_a_block_so_browsers_build_the_page_the_html_says(site):
    """A code block's anchor and a region's several output blocks used to sit in one <p> with
    the code (296 times on 24 pages); hooks/snippet_blocks.py now gives each its own block."""
    found = {}
    for page in site.rglob("*.html"):
        parser = _BlockInParagraph()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            found[str(page.relative_to(site))] = parser.found
    assert not found, found


def test_no_line_break_between_two_chinese_characters_renders_as_a_space(site):
    """A break inside a paragraph shows as a space; Chinese has none between characters."""
    cjk = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
    found = []
    for page in site.rglob("*.html"):
        text = re.sub(r"<(pre|script|style)\b.*?</\1>", "", page.read_text(encoding="utf-8"), flags=re.S)
        breaks = re.finditer(f".[{cjk}][ \\t]*\\n[ \\t]*[{cjk}].", text)
        found += [f"{page.relative_to(site)}: {m[0]!r}" for m in breaks]
    assert not found, f"{len(found)} stray spaces, e.g. {found[:5]}"


def test_cjk_line_joining_keeps_code_and_english_line_breaks():
    from hooks.cjk_lines import join_cjk_lines

    html = "<p>梯度\n  检查点 saves\nmemory</p><pre><code>梯度\n检查点</code></pre>"
    assert join_cjk_lines(html) == "<p>梯度检查点 saves\nmemory</p><pre><code>梯度\n检查点</code></pre>"


def test_each_figure_is_as_big_as_its_img_says_so_nothing_moves_when_it_arrives(site):
    """hooks/image_sizes.py: an <img> states whole pixels; the built SVG states the same, so the
    browser lays nothing out again when a figure loads (a fraction of a pixel did, before)."""
    from hooks.image_sizes import ROOT_SIZE

    checked = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for img in re.finditer(r'<img [^>]*src="(?P<src>[^"]+\.svg)" width="(?P<w>\d+)" height="(?P<h>\d+)"', text):
            svg = (page.parent / img["src"]).resolve().read_text(encoding="utf-8")
            size = ROOT_SIZE.search(svg, 0, 2000)
            assert (size["w"], size["unit"], size["h"]) == (img["w"], "px", img["h"]), (page, img["src"])
            checked += 1
    assert checked >= len(SLUGS)


def test_lazy_blocks_marks_the_blocks_below_the_first_screens_but_no_heading():
    from hooks import lazy_blocks as hook

    para = "<p>" + "字" * 230 + "</p>\n"  # 10 lines at a phone's width: 275 px estimated
    html = ("<h2 id='a'>A</h2>\n" + para * 12 + "<h2 id='b'>B</h2>\n"
            + '<p><img src="f.svg" width="760" height="400" /></p>\n' + para * 6)
    marked = hook.mark(html)
    found = [(tag, marked[start:tag_end]) for tag, start, tag_end, _ in hook.blocks(marked)]
    assert [tag for tag, _ in found] == ["h2"] + ["p"] * 12 + ["h2"] + ["p"] * 7
    later = [re.fullmatch(r'<p data-later="(\d+)">', start_tag) for _, start_tag in found]
    assert not any(later[:10]) and all(later[10:13]) and not later[13] and all(later[14:])
    assert [int(m[1]) for m in later[10:13]] == [275, 275, 275]
    assert int(later[14][1]) == 200 + 10  # the figure, scaled to the phone's width
    assert [int(m[1]) for m in later[-3:]] == [550, 550, 550]  # the last screen: doubled
    assert hook.mark(para * 3) == para * 3  # a short page: nothing to skip
    assert hook.mark(para * 12 + '<div class="math" tabindex="0">x</div>').endswith(
        '<div class="math" tabindex="0" data-later="72">x</div>')  # the start tag reads the same
    assert hook.mark(marked) == marked  # marked once only
    assert hook.mark(html + "</div>\n" + para) == html + "</div>\n" + para  # tags that do not nest: left alone


@pytest.mark.parametrize("lang", LANGS)
def test_long_articles_hold_their_blocks_below_the_first_screens_for_later(site, lang):
    """hooks/lazy_blocks.py, styled by site.css: every article's blocks below its first screens
    carry their estimated height; headings never do, so the table of contents finds them."""
    from hooks import lazy_blocks as hook

    counts = {}
    for slug in SLUGS:
        text = html(site, lang, slug)
        start = text.index(hook.ARTICLE) + len(hook.ARTICLE)
        article = text[start:text.index("</article>", start)]
        tops = [(tag, article[start:tag_end], article[start:end]) for tag, start, tag_end, end in hook.blocks(article)]
        marked = [i for i, (_, start_tag, _) in enumerate(tops) if " data-later=" in start_tag]
        assert marked and not any(hook.HEADING.fullmatch(tops[i][0]) for i in marked), slug
        assert sum(hook.estimated_px(block) for _, _, block in tops[:marked[0]]) > hook.SKIP_BELOW_PX, slug
        counts[slug] = len(marked)
    assert min(counts.values()) > 10 and counts.get("detr", 100) >= 100, counts

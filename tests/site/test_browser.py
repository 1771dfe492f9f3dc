"""The built site in a real browser (Playwright driving Debian's chromium).

Every page is opened in both languages; the test fails on a console error, a failed request,
a request to any host but the local server, a Content-Security-Policy violation, or anything
axe-core reports. It also uses the language switch, searches in Chinese, and checks a code
block's copy button and the dark-mode switch.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from tools.regions import LANGS, ROOT, includes, pages, region_code

SLUGS = sorted(pages("zh"))
# `make test SLUG=spp` opens that article's pages only (with the home and category pages).
PAGE_SLUGS = [os.environ["PYML_TEST_SLUG"]] if os.environ.get("PYML_TEST_SLUG") else SLUGS
PHONE = {"width": 412, "height": 823}  # the viewport of Lighthouse's mobile profile
SEARCHES = {"线性化": "inheritance-mro", "计算图": "autograd"}  # word in mid-sentence -> first hit


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    if executable is None:
        message = "no chromium: run `make test` as root, or `apt-get install chromium fonts-wqy-microhei`"
        if os.environ.get("CI"):
            pytest.fail(message)  # never skip in CI
        pytest.skip(message)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()


class Watched:
    """A page that records everything that should not happen."""

    def __init__(self, context, server):
        self.server = server
        self.page = context.new_page()
        self.problems: list[str] = []
        self.requested: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        self.page.on("request", self._request)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))

    def _console(self, msg):
        if msg.type == "error" or "Content Security Policy" in msg.text:
            self.problems.append(f"console {msg.type}: {msg.text}")

    def _failed(self, request):
        # Leaving a page aborts what it was still fetching (e.g. the search index): not an error.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _request(self, request):
        self.requested.append(request.url)
        if not request.url.startswith((self.server, "data:", "blob:")):
            self.problems.append(f"third-party request: {request.url}")

    def goto(self, path: str):
        self.page.goto(self.server + path, wait_until="load")

    def close(self):
        # The context outlives the test: leave nothing behind that the next test could see.
        if self.page.url.startswith(self.server):
            self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        self.page.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module: a fresh one per test costs about a second of CPU
    (empty cache, scripts compiled again), a third of this file's time on two cores. Each test
    gets its own page in it, and storage is cleared after each test (Watched.close)."""
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield ctx
    ctx.close()


@pytest.fixture
def watched(context, base_url):
    w = Watched(context, base_url)
    yield w
    w.close()
    assert not w.problems, "\n".join(w.problems)


def _prefix(lang: str) -> str:
    return "/" if lang == "zh" else "/en/"


# Figures load lazily: ask for all of them now, wait until each is decoded (or has failed).
LOAD_FIGURES = """() => Promise.all([...document.querySelectorAll("article img")].map(img => {
    img.loading = "eager";
    return img.decode().then(() => img.naturalWidth, () => 0).then(w => [img.getAttribute("src"), w, img.alt]);
}))"""


# axe-core runs on every page. One page of each type (home, category, article, notebook) is
# checked whole with every rule. On the others it checks the part that differs from page to
# page, and leaves out the two rules that judge the theme's colours rather than the content:
# colour contrast and links told apart from text (about 3 of the 3.5 s axe takes on detr).
WHOLE = {"", "category/python/", f"{PAGE_SLUGS[0]}/", f"notebooks/{PAGE_SLUGS[0]}/"}
AXE_CONTENT = {"resultTypes": ["violations"],
               "rules": {"color-contrast": {"enabled": False}, "link-in-text-block": {"enabled": False}}}


def axe_report(page, lang: str, path: str) -> list[str]:
    """axe-core's violations on the open page, `path` being its address below the language."""
    from axe_playwright_python.sync_playwright import Axe

    response = (Axe().run(page) if path in WHOLE else Axe().run(page, ".md-content", AXE_CONTENT)).response
    return [f"{_prefix(lang)}{path}: {v['id']} ({len(v['nodes'])}x) {v['nodes'][0]['html'][:120]}"
            for v in response["violations"]]


@pytest.mark.parametrize("lang", LANGS)
def test_home_categories_and_articles_load_cleanly_with_figures(watched, site, lang):
    categories = sorted(f"category/{p.name}/" for p in (site / "category").iterdir())
    assert "category/python/" in categories
    report = []
    for path in ["", *categories, *[f"{s}/" for s in PAGE_SLUGS]]:
        watched.goto(_prefix(lang) + path)
        assert watched.page.locator("h1").count() == 1, path
        for src, width, alt in watched.page.evaluate(LOAD_FIGURES):
            assert width > 0, f"{path}: figure {src} did not load"
            assert alt, f"{path}: figure {src} without alt text"
        report += axe_report(watched.page, lang, path)
    assert not report, "axe-core:\n" + "\n".join(report)


@pytest.mark.parametrize("lang", LANGS)
def test_notebook_pages_load_cleanly(watched, lang):
    report = []
    for slug in PAGE_SLUGS:
        watched.goto(f"{_prefix(lang)}notebooks/{slug}/")
        assert watched.page.locator(".jp-CodeCell").count() >= 1, slug
        report += axe_report(watched.page, lang, f"notebooks/{slug}/")
    assert not report, "axe-core:\n" + "\n".join(report)


@pytest.mark.parametrize(("start", "other"), [("zh", "en"), ("en", "zh")])
def test_language_switch_keeps_the_reader_on_the_same_article(watched, start, other):
    slug = SLUGS[0]
    watched.goto(f"{_prefix(start)}{slug}/")
    watched.page.locator(".md-header__option .md-select").hover()
    watched.page.locator(f'a.md-select__link[hreflang="{other}"]').click()
    watched.page.wait_for_load_state("load")
    assert watched.page.url == f"{watched.server}{_prefix(other)}{slug}/"
    assert watched.page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize(("word", "slug"), [(w, s) for w, s in SEARCHES.items() if s in SLUGS])
def test_chinese_search_finds_words_in_mid_sentence(watched, word, slug):
    """The index is fetched when search opens (hooks/material_bundle.py), not with every page."""
    watched.goto("/")
    assert not [u for u in watched.requested if "search_index" in u], "index fetched on page load"
    # nor the sitemaps that Material's own language switch fetched on every page
    assert not [u for u in watched.requested if "sitemap.xml" in u], "sitemap fetched on page load"
    watched.page.locator("label.md-search__icon, .md-search__input").first.click()
    box = watched.page.locator("input.md-search__input")
    box.fill(word)
    box.press("End")  # Material's search listens to keyup
    first = watched.page.locator(".md-search-result__item a").first
    first.wait_for(timeout=10_000)
    assert f"/{slug}/" in first.get_attribute("href")
    # The result links with ?h=: that page loads the index at once to highlight the words.
    first.click()
    watched.page.locator("article mark").first.wait_for(timeout=10_000)
    assert word[:2] in watched.page.locator("article mark").first.inner_text()


def test_copy_button_copies_exactly_the_snippet_region(watched):
    slug = SLUGS[0]
    first = includes(pages("zh")[slug].read_text(encoding="utf-8"))[0]
    watched.goto(f"/{slug}/")
    block = watched.page.locator(".highlight").first
    block.hover()
    block.locator("button.md-code__button").first.click()
    copied = watched.page.evaluate("navigator.clipboard.readText()")
    assert copied.strip("\n") == region_code(first).strip("\n")
    # the button's <nav> is no landmark (hooks/material_bundle.py): one per block would be a dozen
    assert block.locator("nav.md-code__nav").get_attribute("role") == "none"


def test_dark_mode_switch_is_remembered_across_pages_and_languages(watched):
    """overrides/partials/javascripts/palette.html replaces Material's palette script."""
    def scheme():
        return watched.page.evaluate("document.body.dataset.mdColorScheme")

    def switch():
        label = watched.page.locator("[data-palette-switch] label:visible")
        assert label.count() == 1, "exactly one switch button is shown"
        title = label.get_attribute("title")
        label.click()
        return title

    slug = SLUGS[0]
    watched.goto(f"/{slug}/")
    assert scheme() == "default"
    assert switch() == "切换到深色模式" and scheme() == "slate"
    watched.goto(f"/en/{slug}/")
    assert scheme() == "slate", "the choice did not carry over to the English site"
    assert switch() == "Switch to light mode" and scheme() == "default"
    watched.goto("/")
    assert scheme() == "default"


def test_a_reader_whose_system_prefers_dark_gets_the_dark_scheme(browser, base_url):
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{SLUGS[0]}/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert page.locator("[data-palette-switch] label:visible").get_attribute("title") == "切换到浅色模式"
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_feed_and_preview_image_named_in_the_head_load_in_the_browser(watched, lang):
    watched.goto(f"{_prefix(lang)}{PAGE_SLUGS[0]}/")
    status, entries, width = watched.page.evaluate("""async () => {
        const feed = await fetch(document.querySelector('link[type="application/atom+xml"]').href);
        const xml = new DOMParser().parseFromString(await feed.text(), "application/xml");
        const image = new Image();
        image.src = document.querySelector('meta[property="og:image"]').content;
        await image.decode();
        return [feed.status, xml.querySelectorAll("entry").length, image.naturalWidth];
    }""")
    assert (status, entries, width) == (200, len(SLUGS), 1200)


def test_loading_the_longest_article_restyles_its_whole_page_once(browser, base_url, tmp_path):
    """hooks/material_bundle.py: Material's bundle no longer restyles every element of the page
    as it starts (classes of <html>, wrapping a table): of the style recalculations in a
    Chromium trace of the load, one at most touches more than half the page's elements (the
    first), where Material 9.8.2 unpatched made three on /detr/."""
    import json

    slug = "detr" if "detr" in SLUGS else SLUGS[0]
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        browser.start_tracing(page=page, path=str(tmp_path / "trace.json"), categories=["devtools.timeline"])
        page.goto(f"{base_url}/{slug}/", wait_until="load")
        page.wait_for_function("window.component$ !== undefined")  # the bundle has run ...
        page.wait_for_timeout(1000)  # ... and set up its components, each in a timer task
        browser.stop_tracing()
        elements, classes = page.evaluate("[document.getElementsByTagName('*').length, "
                                          "document.documentElement.className]")
    finally:
        context.close()
    events = json.loads((tmp_path / "trace.json").read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    counts = [e["args"]["elementCount"] for e in events
              if e.get("name") == "UpdateLayoutTree" and "elementCount" in e.get("args", {})]
    assert classes == "js js-focus-visible" and elements > 1000 and counts
    assert len([c for c in counts if c > elements / 2]) <= 1, (elements, sorted(counts, reverse=True)[:5])


# Records, per block that hooks/lazy_blocks.py marked, whether the browser last skipped it.
SKIPPED = """window.skipped = new Map();
    document.addEventListener("contentvisibilityautostatechange",
                              e => window.skipped.set(e.target, e.skipped), true);"""


@pytest.mark.parametrize("lang", LANGS)
def test_long_articles_lay_out_their_first_screens_and_the_rest_when_reached(browser, base_url, lang):
    """hooks/lazy_blocks.py: on a phone, the blocks below each article's first screens are
    skipped at load (content-visibility: auto) and hold their place with estimated heights that
    keep the page near its real height (less near in browsers without typed attr(), which take
    one mean height for all); a link to a section whose next block was skipped lands on it and
    renders that block, and find-in-page finds text in a skipped block and shows it."""
    css = (ROOT / "overrides" / "assets" / "site.css").read_text(encoding="utf-8")
    fallback = int(re.search(r"contain-intrinsic-height: auto (\d+)px;", css)[1])  # no attr()
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.add_init_script(SKIPPED)
        ratios = {}
        for slug in PAGE_SLUGS:
            page.goto(f"{base_url}{_prefix(lang)}{slug}/", wait_until="load")
            page.wait_for_function("window.component$ !== undefined")
            found = page.evaluate("""async fallback => {
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                const blocks = [...document.querySelectorAll("article > [data-later]")];
                const skipped = blocks.filter(b => window.skipped.get(b)).length;
                const attr = getComputedStyle(blocks[0]).containIntrinsicHeight === `auto ${blocks[0].dataset.later}px`;
                const estimated = document.documentElement.scrollHeight;
                blocks.forEach(b => b.style.containIntrinsicHeight = `auto ${fallback}px`);
                const without_attr = document.documentElement.scrollHeight;  // other browsers
                blocks.forEach(b => b.style.contentVisibility = "visible");
                const real = document.documentElement.scrollHeight;
                // How far drawing reaches out of a block (a scroll box clips its own), and how far a
                // link's focus ring: both must stay within the margin that content-visibility clips at.
                let reach = 0;
                const scrolls = e => getComputedStyle(e).overflowX !== "visible";
                for (const b of blocks.filter(b => !scrolls(b))) {
                    const box = b.getBoundingClientRect();
                    for (const e of b.querySelectorAll("*")) {
                        let a = e.parentElement;
                        while (a !== b && !scrolls(a)) a = a.parentElement;
                        if (a !== b) continue;
                        for (const r of e.getClientRects())
                            reach = Math.max(reach, box.left - r.left, r.right - box.right,
                                             box.top - r.top, r.bottom - box.bottom);
                    }
                }
                const link = blocks.map(b => b.querySelector("a[href]")).find(a => a);
                link.focus();
                const ring = getComputedStyle(link);
                const ringReach = parseFloat(ring.outlineOffset) + parseFloat(ring.outlineWidth);
                const margin = parseFloat(getComputedStyle(blocks[0]).overflowClipMargin);
                blocks.forEach(b => b.style.contentVisibility = "");
                return [blocks.length, skipped, attr, estimated, without_attr, real, reach, ringReach, margin];
            }""", fallback)
            marked, skipped, attr, estimated, without_attr, real, reach, ring, margin = found
            assert marked > 10 and skipped >= 0.9 * marked and attr, (slug, marked, skipped, attr)
            assert reach <= margin and ring <= margin and ring > 0, (slug, reach, ring, margin)
            ratios[slug] = round(estimated / real, 2), round(without_attr / real, 2)
        assert all(0.85 <= r <= 1.25 for r, _ in ratios.values()), ratios
        assert all(0.8 <= r <= 1.5 for _, r in ratios.values()), ratios

        page.goto(f"{base_url}{_prefix(lang)}detr/", wait_until="load")
        page.wait_for_timeout(300)
        target = page.evaluate("""() => [...document.querySelectorAll("article > h2[id]")]
            .filter(h => window.skipped.get(h.nextElementSibling)).at(-1).id""")
        page.evaluate("id => { location.hash = id; }", target)
        page.wait_for_timeout(500)
        top, next_skipped = page.evaluate("""id => { const h = document.getElementById(id);
            return [h.getBoundingClientRect().top, window.skipped.get(h.nextElementSibling)]; }""", target)
        assert 0 <= top <= 120 and next_skipped is False, (target, top, next_skipped)

        page.goto(f"{base_url}{_prefix(lang)}detr/", wait_until="load")
        page.wait_for_timeout(300)
        deep = page.evaluate("""() => [...document.querySelectorAll("article > p[data-later]")]
            .filter(b => window.skipped.get(b) && b.firstChild.nodeType === Node.TEXT_NODE)
            .map(b => b.firstChild.textContent.trim()).filter(t => t.length >= 12).at(-1).slice(0, 12)""")
        # Find-in-page from a script (window.find) reaches the skipped text, and the browser shows it.
        assert page.evaluate("text => window.find(text)", deep), deep
        page.wait_for_timeout(300)
        assert page.evaluate("""() => { const b = getSelection().anchorNode.parentElement.closest("[data-later]");
            return window.skipped.get(b) === false && Math.abs(b.getBoundingClientRect().top) < innerHeight; }""")
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_table_of_contents_links_land_on_their_sections_and_follow_the_reader(browser, base_url, lang):
    """Clicking a section in the table of contents brings its heading to the top of the page
    and marks that entry as the current one, also for sections among the blocks that
    hooks/lazy_blocks.py leaves for later; back at the top, above the first section, none is."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # the TOC is shown
    try:
        page = context.new_page()
        page.goto(f"{base_url}{_prefix(lang)}detr/", wait_until="load")
        page.wait_for_function("window.component$ !== undefined")
        toc = page.locator(".md-sidebar--secondary a.md-nav__link")
        targets = toc.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert len(targets) > 10
        later = page.evaluate("""hrefs => hrefs.filter(h => document.getElementById(h.slice(1))
            .nextElementSibling?.hasAttribute("data-later"))""", targets)
        assert targets[len(targets) // 2] in later and targets[-2] in later
        for href in (targets[2], targets[len(targets) // 2], targets[-2]):
            toc.and_(page.locator(f'[href="{href}"]')).click()
            page.wait_for_function(f"""() => location.hash === "{href}" &&
                document.querySelector(".md-sidebar--secondary .md-nav__link--active")
                    ?.getAttribute("href") === "{href}" """, timeout=5_000)
            top = page.evaluate(f"document.getElementById('{href[1:]}').getBoundingClientRect().top")
            assert 0 <= top <= 150, (href, top)
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_function("""() => document.querySelector(".md-sidebar--secondary .md-nav__link--active")
            === null""", timeout=5_000)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_screen_reader_is_given_the_text_of_blocks_left_for_later(browser, base_url, lang):
    """Chromium's accessibility tree, as a screen reader gets it (accessibility on from the
    start, as when one runs), holds the text of a block hooks/lazy_blocks.py left for later and
    the browser skipped. (Turned on only after the load, Chromium leaves skipped text out until
    it is shown: so this needs a browser of its own.)"""
    own = browser.browser_type.launch(executable_path=_chromium(),
                                      args=["--no-sandbox", "--force-renderer-accessibility"])
    try:
        context = own.new_context(viewport=PHONE)
        page = context.new_page()
        page.add_init_script(SKIPPED)
        page.goto(f"{base_url}{_prefix(lang)}detr/", wait_until="load")
        page.wait_for_timeout(500)
        texts = page.evaluate("""() => [...document.querySelectorAll("article > p[data-later]")]
            .filter(b => window.skipped.get(b) && b.firstChild.nodeType === Node.TEXT_NODE)
            .map(b => b.firstChild.textContent.trim().slice(0, 12)).filter(t => t.length === 12)""")
        nodes = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        names = [str(n.get("name", {}).get("value", "")) for n in nodes]
        missing = [t for t in texts if not any(t in name for name in names)]
        assert len(texts) > 20 and not missing, missing
    finally:
        own.close()

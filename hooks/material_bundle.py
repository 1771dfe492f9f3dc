"""Keep the work Material's JavaScript does while a page loads small, so that a long article
is as quick to use on a slow phone as a short one (README, "Page speed").

A Chromium trace of /detr/ (the longest page) showed where that work went, on this 2-core
machine, unthrottled:
- the search index was fetched and indexed on every page view, searched or not;
- two recalculations of every element's style (15-25 ms each on /detr/). Material's CSS has
  `table:not([class]) td>:first-child`, so in Chromium a change to any element's class
  attribute restyles everything inside it: the bundle changes the classes of <html> as it
  starts (`no-js` becomes `js`, and its focus-visible polyfill adds `js-focus-visible`), and
  inserting a child of the article (when the bundle wraps a table in its scrolling box)
  restyles the article, whose CSS has `:first-child` rules too;
- one task of 20-40 ms in which the bundle sets up all its components at once. Lighthouse
  counts every main-thread task over 50 ms of the throttled phone as blocking time.

So this hook
1. gives <html> the classes and attribute the bundle would give it, at the end of the page's
   <head>, before any element they would restyle exists (the bundle's own changes are then
   no change; no rule of the theme or the site selects `js-focus-visible` itself);
2. wraps each table in Material's scrolling box when the page is built, focusable so that a
   keyboard can scroll it, and makes the bundle skip tables already wrapped;
3. rewrites five statements of Material's minified bundle: the index is requested when the
   reader opens search (or arrives from a search result, `?h=`), not with every page; each
   component (search, table of contents, header, copy buttons, ...) is set up in a task of
   its own, so the browser can paint and answer the reader between two of them; and the
   bundle's language-switch helper is not started: on every page load it fetched and parsed
   each language's sitemap.xml to redirect clicks on the language links, which
   overrides/partials/alternate.html already points at the same page in the other language
   (Material's redirect also fails when one language's root is a prefix of the other's);
   and each code block's copy button comes in a <nav role="none">: an unnamed <nav> per block
   made a page list a dozen identical navigation landmarks to screen readers (axe-core checks
   it in tests/site/test_browser.py). A script watching every change to the page did this
   before;
4. heads the bundle with V8's compile hint (`//# allFunctionsCalledOnLoad`, Chromium 136 and
   later; a comment elsewhere): its functions, nearly all of which run while the page loads,
   are compiled while the file downloads, on a background thread, instead of one by one on
   the main thread when first called (https://v8.dev/blog/explicit-compile-hints).

The bundle is minified, so the statements are matched exactly; if a Material release changes
them the build fails here, naming this hook, rather than quietly bringing the work back
(mkdocs-material is pinned in pyproject.toml).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

HEAD_SCRIPT = ('<script>document.documentElement.className="js js-focus-visible";'
               'document.documentElement.setAttribute("data-js-focus-visible","")</script>')

# A table as Python-Markdown writes it (no class), and the box Material's bundle puts it in
# (templates/table/index.tsx), plus tabindex: a box that scrolls must be reachable by keyboard.
TABLE = re.compile(r"<table>.*?</table>", re.S)
TABLE_BOX = '<div class="md-typeset__scrollwrap" tabindex="0"><div class="md-typeset__table">{}</div></div>'

# Material 9.8.2's bundle. Minified names: H defer, L merge, $ of, Re first, b switchMap,
# Z shareReplay, nt delay, Je the observable of a toggle's checked state, ks the request for
# the index, M all elements matching a selector.
EAGER_INDEX = 'zi=document.forms.namedItem("search")?ks():tt'
LAZY_INDEX = (
    'zi=document.forms.namedItem("search")?'
    'H(()=>L($(new URLSearchParams(location.search).has("h")),Je("search")))'
    '.pipe(Re(o=>o),b(()=>ks()),Z(1)):tt'
)
ALTERNATE = "ui({document$:ct});"  # setupAlternate(), see 3. above
CODE_NAV = 'x("nav",{class:"md-code__nav"})'  # x is Material's h(): its attributes
CODE_NAV_PLAIN = 'x("nav",{class:"md-code__nav",role:"none"})'
EVERY_TABLE = 'M("table:not([class])",e)'
UNWRAPPED_TABLES = 'M("table:not([class]):not(.md-typeset__table>table)",e)'
# The two statements that list the components to set up, control components (Hs: search,
# palette, dialog, ...) and content components ($s: content, header, sidebars, toc, ...);
# each entry is `...me("name").map(e=>MOUNT)`. MOUNT becomes of(0).pipe(delay(0),
# switchMap(()=>MOUNT)): the component is set up in a timer task of its own.
MOUNTS_START, MOUNTS_END = "Hs=L(", "Ki=ct.pipe("
MOUNT = ".map(e=>"
MOUNT_COUNT = 15
IN_OWN_TASK = "$(0).pipe(nt(0),b(()=>{}))"
COMPILE_HINT = "//# allFunctionsCalledOnLoad\n"


def on_post_page(output: str, page, config) -> str:
    output = output.replace("</head>", HEAD_SCRIPT + "\n  </head>", 1)
    return TABLE.sub(lambda m: TABLE_BOX.format(m[0]), output)


def on_post_template(output: str, template_name: str, config) -> str:
    return on_post_page(output, None, config) if template_name.endswith(".html") else output


def _fail(name: str, what: str) -> PluginError:
    return PluginError(f"hooks/material_bundle.py: {name} does not contain {what} "
                       "(a different mkdocs-material version?); update this hook for that version")


def mounts_in_own_tasks(text: str, name: str) -> str:
    start = text.find(MOUNTS_START)
    end = text.find(MOUNTS_END, start)
    if start < 0 or end < 0 or text.count(MOUNT, start, end) != MOUNT_COUNT:
        raise _fail(name, f"the list of {MOUNT_COUNT} components it sets up in tasks of their own")
    pieces, done = [], start
    for _ in range(MOUNT_COUNT):
        body = text.index(MOUNT, done, end) + len(MOUNT)
        depth, stop = 1, body
        while depth:  # the arrow's body ends at the bracket that closes `.map(`
            depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(text[stop], 0)
            stop += 1
        pieces += [text[done:body], IN_OWN_TASK.format(text[body:stop - 1])]
        done = stop - 1
    return text[:start] + "".join(pieces) + text[done:]


def rewrite(text: str, name: str) -> str:
    for old, new, what in ((EAGER_INDEX, LAZY_INDEX, "the statement that requests the search index"),
                           (EVERY_TABLE, UNWRAPPED_TABLES, "the selector of the tables it wraps"),
                           (ALTERNATE, "", "the call that sets up its language switch"),
                           (CODE_NAV, CODE_NAV_PLAIN, "the <nav> of a code block's copy button")):
        if text.count(old) != 1:
            raise _fail(name, what)
        text = text.replace(old, new)
    return COMPILE_HINT + mounts_in_own_tasks(text, name)


def on_post_build(config) -> None:
    bundles = sorted(Path(config["site_dir"], "assets", "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PluginError(f"hooks/material_bundle.py: expected one Material bundle, found {len(bundles)}")
    text = bundles[0].read_text(encoding="utf-8")
    if LAZY_INDEX in text:
        return  # `mkdocs serve --dirty` keeps the bundle this hook already rewrote
    bundles[0].write_text(rewrite(text, bundles[0].name), encoding="utf-8")
    # The hint is one more line at the top: its source map maps one more (empty) line.
    source_map = bundles[0].with_name(bundles[0].name + ".map")
    if source_map.exists():
        mapping = json.loads(source_map.read_text(encoding="utf-8"))
        mapping["mappings"] = ";" + mapping["mappings"]
        source_map.write_text(json.dumps(mapping), encoding="utf-8")

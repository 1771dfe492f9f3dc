"""Load the search index when the reader opens search, not on every page.

Material fetches search/search_index.json as each page loads and its worker builds the lunr
index from it at once (mkdocs-material issue #5391): for this site 685 KB of Chinese index
and about half a CPU-second on a desktop per page view, several seconds on a phone, whether
or not the reader ever searches. Here the index is requested only when the search box opens,
or when the page was reached from a search result (`?h=`, which search.highlight reads).

Material's bundle is minified, so this rewrites one statement of it, in the built site. The
statement is matched exactly; if a Material release changes it, the build fails here rather
than quietly loading the index eagerly again (mkdocs-material is pinned in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

# Material 9.8.2's bundle: `index$ = search form on the page ? requestJSON(index) : NEVER`.
# Minified names: H defer, L merge, $ of, Re first, b switchMap, Z shareReplay, Je the
# observable of a toggle's checked state, ks the request for the index.
EAGER = 'zi=document.forms.namedItem("search")?ks():tt'
LAZY = (
    'zi=document.forms.namedItem("search")?'
    'H(()=>L($(new URLSearchParams(location.search).has("h")),Je("search")))'
    '.pipe(Re(o=>o),b(()=>ks()),Z(1)):tt'
)


def on_post_build(config):
    bundles = sorted(Path(config["site_dir"], "assets", "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PluginError(f"hooks/lazy_search.py: expected one Material bundle, found {len(bundles)}")
    text = bundles[0].read_text(encoding="utf-8")
    if LAZY in text:
        return  # `mkdocs serve --dirty` keeps the bundle this hook already rewrote
    if text.count(EAGER) != 1:
        raise PluginError(
            f"hooks/lazy_search.py: {bundles[0].name} does not contain the statement it rewrites "
            "(a different mkdocs-material version?); update EAGER and LAZY for that version"
        )
    bundles[0].write_text(text.replace(EAGER, LAZY), encoding="utf-8")

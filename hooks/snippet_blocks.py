"""Turn each `--8<-- "snippets/<pkg>/<mod>.py:<region>"` line of a page into a code block.

The block is titled with the file's path and followed by links to the file and to its test
(both served by the site, see source_files.py), then by the region's generated output when
it prints something. A region with a `# needs:` line gets a line above it naming the blocks
to run first, each linked to its place on the page (and the build stops when one of them is
not earlier on the page). Articles also get their download links: the code as .py and
.ipynb, and the files the code reads. A missing file or region stops the build with the
page's name and the region's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.regions import (  # noqa: E402
    INCLUDE,
    OLDEST_PYTHON,
    ROOT,
    Include,
    RegionError,
    front_matter,
    needed,
    package,
    reader_files,
    region_code,
    region_needs,
)


def on_page_markdown(markdown, page, config, files):
    labels = config.extra["labels"]
    to_root = "../" * page.file.src_uri.count("/")
    src_uri = page.file.src_uri
    shown: list[Include] = []

    def block(match) -> str:
        inc = Include(match["path"], match["region"])
        try:
            region_code(inc)
            missing = [str(n) for n in needed(inc) if n not in shown]
        except RegionError as err:
            raise PluginError(f"{src_uri}: cannot include {inc}: {err}") from None
        if missing:
            raise PluginError(f"{src_uri}: {inc} needs {missing}, which the page does not show before it")
        if not (ROOT / inc.test).is_file():
            raise PluginError(f"{src_uri}: {inc.path} has no test file {inc.test}")
        shown.append(inc)
        # The anchor is a block of its own (an HTML block ends at the blank line): a <span>
        # here became a paragraph holding the code block, which browsers split in two.
        parts = [f'<div id="{anchor(inc)}"></div>', ""]
        if direct := region_needs(inc.path).get(inc.region):
            names = ", ".join(f"[`{n.region}`](#{anchor(n)})" for n in direct)
            parts.append(f'<p class="snippet-needs" markdown>{labels["needs"]} {names}</p>')
        parts += [
            f'```python title="{inc.path}"',
            f'--8<-- "{inc}"',
            "```",
            f'<p class="snippet-links" markdown>[{labels["source"]}]({to_root}_src/{inc.path})'
            f' · [{labels["test"]}]({to_root}_src/{inc.test})</p>',
        ]
        if inc.base_output.is_file():
            parts += _outputs(inc, labels["output"])
        return "\n".join(parts)

    markdown = INCLUDE.sub(block, markdown)
    slug = front_matter(markdown).get("slug") or page.meta.get("slug")
    if src_uri.startswith("posts/") and slug:
        markdown = _with_downloads(markdown, slug, labels, to_root, config.repo_url)
    return markdown


def _outputs(inc: Include, label: str) -> list[str]:
    """The region's output; where later Pythons print something else, one block per range of
    versions, each titled with its range (e.g. "Output · Python 3.11–3.12", "· Python 3.13+")."""
    starts = [OLDEST_PYTHON] + [since for since, _ in inc.output_variants()]
    files = [inc.base_output] + [path for _, path in inc.output_variants()]
    parts = []
    for number, (since, path) in enumerate(zip(starts, files, strict=True)):
        title = label
        if len(files) > 1:
            until = starts[number + 1] if number + 1 < len(starts) else None
            versions = f"{since[0]}.{since[1]}" + (f"–{until[0]}.{until[1] - 1}" if until else "+")
            title = f"{label} · Python {versions}"
        # A blank line between two fences: without it Markdown wraps both in one <p>.
        parts += [f'```text title="{title}"', f'--8<-- "{path.relative_to(ROOT)}"', "```", ""]
    return parts


def anchor(inc: Include) -> str:
    """The id of an included block on its page (region names are unique within a module)."""
    return f"code-{Path(inc.path).stem}-{inc.region}".replace("_", "-")


def _with_downloads(markdown: str, slug: str, labels: dict, to_root: str, repo: str | None) -> str:
    # mkdocs-jupyter turns notebooks/<slug>.ipynb into a page and copies the file beside it.
    nb = f"{to_root}notebooks/{slug}"
    script = f"{package(slug)}_code.py"  # tools.regions.notebook_paths
    links = (
        f'!!! tip "{labels["downloads"]}"\n'
        f'    <a href="{to_root}notebooks/{script}" download>{script}</a> · '
        f'<a href="{nb}/{slug}.ipynb" download>{slug}.ipynb</a> · '
        f"[{labels['notebook']}]({nb}.ipynb)\n"
    )
    files = reader_files(slug)
    if files:  # served by source_files.py; the code opens them by name in the current folder
        links += (f"\n    {labels['files']} "
                  + " · ".join(f'<a href="{to_root}_src/{f.relative_to(ROOT).as_posix()}" download>{f.name}</a>'
                               for f in files) + "\n")
    if repo:  # the page's own Markdown is the theme's "edit" / "view source" buttons
        tree = f"{repo.rstrip('/')}/tree/main"
        links += (f"\n    {labels['repository']} [snippets/{package(slug)}/]({tree}/snippets/{package(slug)}) · "
                  f"[tests/{package(slug)}/]({tree}/tests/{package(slug)})\n")
    marker = "<!-- more -->"
    if marker in markdown:
        return markdown.replace(marker, f"{marker}\n\n{links}", 1)
    return markdown + "\n\n" + links

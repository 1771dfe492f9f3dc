"""Where things live, and how a page's code is found.

One convention, used by the build hooks, by `make outputs` and by the tests:

- the page of article <slug> is docs/<lang>/posts/<slug>.md (front matter `slug: <slug>`);
- its code is the package snippets/<slug with - replaced by _>/;
- a page includes a region with a line of its own: --8<-- "snippets/<pkg>/<mod>.py:<region>";
- a region is delimited in the module by `# --8<-- [start:<region>]` and `# --8<-- [end:<region>]`;
- the printed output of a region is snippets/<pkg>/outputs/<mod>.<region>.txt;
- the test of snippets/<pkg>/<mod>.py is tests/<pkg>/test_<mod>.py;
- the figures of an article come from snippets/<pkg>/figures.py and go to
  docs/<lang>/figures/<slug>/<name>.svg;
- the downloadable code is docs/<lang>/notebooks/<slug>.py and .ipynb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")

INCLUDE = re.compile(r'^--8<-- "(?P<path>snippets/[\w/]+\.py):(?P<region>\w+)"[ \t]*$', re.M)
MARKER = re.compile(r"^[ \t]*# --8<-- \[(?P<kind>start|end):(?P<name>\w+)\][ \t]*$")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n]*)$", re.M)
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$", re.M)


@dataclass(frozen=True)
class Include:
    path: str  # relative to ROOT, e.g. snippets/autograd/graph.py
    region: str

    @property
    def output(self) -> Path:
        p = Path(self.path)
        return ROOT / p.parent / "outputs" / f"{p.stem}.{self.region}.txt"

    @property
    def test(self) -> str:
        p = Path(self.path)
        return f"tests/{p.parent.name}/test_{p.stem}.py"

    def __str__(self) -> str:
        return f"{self.path}:{self.region}"


class RegionError(ValueError):
    """A snippet file or region that a page names does not exist or is malformed."""


def regions(path: Path | str) -> dict[str, str]:
    """Return {region name: code} of a snippet module, without the marker lines."""
    path = ROOT / path
    if not path.is_file():
        raise RegionError(f"snippet file {path.relative_to(ROOT)} does not exist")
    found: dict[str, str] = {}
    open_: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = MARKER.match(line)
        if m:
            name = m["name"]
            if m["kind"] == "start":
                if name in open_ or name in found:
                    raise RegionError(f"{path.name}:{number}: region {name!r} started twice")
                open_[name] = []
            else:
                if name not in open_:
                    raise RegionError(f"{path.name}:{number}: region {name!r} ends before it starts")
                found[name] = "\n".join(open_.pop(name)) + "\n"
            continue
        for lines in open_.values():
            lines.append(line)
    if open_:
        raise RegionError(f"{path.name}: region(s) {sorted(open_)} never end")
    return found


def region_code(inc: Include) -> str:
    code = regions(inc.path)
    if inc.region not in code:
        raise RegionError(f"{inc.path} has no region {inc.region!r} (it has {sorted(code)})")
    return code[inc.region]


def strip_fences(markdown: str) -> str:
    """The markdown with fenced code blocks blanked out (includes inside fences don't count)."""
    out, fence = [], None
    for line in markdown.splitlines():
        m = FENCE.match(line)
        if fence is None and m:
            fence = m["fence"]
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def includes(markdown: str) -> list[Include]:
    return [Include(m["path"], m["region"]) for m in INCLUDE.finditer(strip_fences(markdown))]


def fences(markdown: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced block in a page."""
    blocks, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, body = m["fence"], []
        i += 1
        while i < len(lines) and not (
            lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == ""
        ):
            body.append(lines[i])
            i += 1
        blocks.append((m["info"].strip(), "\n".join(body)))
        i += 1
    return blocks


def front_matter(markdown: str) -> dict[str, str]:
    """The flat `key: value` pairs of a page's front matter (enough for slug/title/date)."""
    if not markdown.startswith("---\n"):
        return {}
    head = markdown[4 : markdown.index("\n---", 4)]
    pairs = {}
    for line in head.splitlines():
        if ":" in line and not line.startswith((" ", "-")):
            key, value = line.split(":", 1)
            pairs[key.strip()] = value.strip().strip('"')
    return pairs


def pages(lang: str) -> dict[str, Path]:
    """{slug: page path} of the articles published in one language."""
    found = {}
    for page in sorted((ROOT / "docs" / lang / "posts").glob("*.md")):
        slug = front_matter(page.read_text(encoding="utf-8")).get("slug", page.stem)
        found[slug] = page
    return found


def package(slug: str) -> str:
    return slug.replace("-", "_")


def figure_dir(lang: str, slug: str) -> Path:
    return ROOT / "docs" / lang / "figures" / slug


def notebook_paths(lang: str, slug: str) -> tuple[Path, Path]:
    base = ROOT / "docs" / lang / "notebooks" / slug
    return base.with_suffix(".py"), base.with_suffix(".ipynb")


def headings(markdown: str) -> list[tuple[int, str, str | None]]:
    """(level, text, explicit id or None) of every heading outside code blocks."""
    found = []
    for m in HEADING.finditer(strip_fences(markdown)):
        text = m[2]
        id_ = re.search(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", text)
        found.append((len(m[1]), re.sub(r"\s*\{[^}]*\}\s*$", "", text), id_ and id_[1]))
    return found

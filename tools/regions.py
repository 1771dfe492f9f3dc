"""Where things live, and how a page's code is found.

One convention, used by the build hooks, by `make outputs` and by the tests:

- the page of article <slug> is docs/<lang>/posts/<slug>.md (front matter `slug: <slug>`);
- its code is the package snippets/<slug with - replaced by _>/;
- a page includes a region with a line of its own: --8<-- "snippets/<pkg>/<mod>.py:<region>";
- a region is delimited in the module by `# --8<-- [start:<region>]` and `# --8<-- [end:<region>]`;
- the printed output of a region is snippets/<pkg>/outputs/<mod>.<region>.txt, as the oldest
  supported Python prints it; where a later Python prints something else (pdb changed in
  3.13), snippets/<pkg>/outputs/<mod>.<region>.py313.txt holds that from 3.13 on, and the
  page shows both;
- the test of snippets/<pkg>/<mod>.py is tests/<pkg>/test_<mod>.py;
- the figures of an article come from snippets/<pkg>/figures.py and go to
  docs/<lang>/figures/<slug>/<name>.svg;
- the downloadable code is docs/<lang>/notebooks/<pkg>_code.py and <slug>.ipynb (the script's
  name must not hide a module the code imports: pdb.py would shadow the debugger);
- a region that uses names an earlier region defines says so on the line just above its
  start marker: `# needs: <region>` (same module) or `# needs: <mod>.py:<region>`, several
  separated by commas. It never imports `snippets`: a reader's copy has no such package.
  The page shows the line, and the needed regions must come earlier on the page;
- files the article's code reads (a checkpoint, an image, measured data) are listed in
  snippets/<pkg>/__init__.py as READER_FILES, paths relative to the package; the code opens
  them by their bare name in the current folder, where a reader downloads them.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")

INCLUDE = re.compile(r'^--8<-- "(?P<path>snippets/[\w/]+\.py):(?P<region>\w+)"[ \t]*$', re.M)
NEEDS = re.compile(r"^[ \t]*# needs: (?P<refs>[\w.:, ]+?)[ \t]*$")
MARKER = re.compile(r"^[ \t]*# --8<-- \[(?P<kind>start|end):(?P<name>\w+)\][ \t]*$")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n]*)$", re.M)
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$", re.M)


OLDEST_PYTHON = (3, 11)  # the oldest supported Python; README says which are supported
VARIANT = re.compile(r"\.py3(\d+)\.txt$")


@dataclass(frozen=True)
class Include:
    path: str  # relative to ROOT, e.g. snippets/autograd/graph.py
    region: str

    def output_for(self, version: tuple[int, int] | None = None) -> Path:
        """The output file of this region for one Python (the running one by default):
        the variant of the latest version not after it, else the plain file."""
        version = version or sys.version_info[:2]
        chosen = self.base_output
        for since, path in self.output_variants():
            if since <= version:
                chosen = path
        return chosen

    @property
    def output(self) -> Path:
        return self.output_for()

    @property
    def base_output(self) -> Path:
        p = Path(self.path)
        return ROOT / p.parent / "outputs" / f"{p.stem}.{self.region}.txt"

    def output_variants(self) -> list[tuple[tuple[int, int], Path]]:
        """[((3, minor), path)] of the outputs for later Pythons, oldest first."""
        base = self.base_output
        variants = base.parent.glob(f"{base.stem}.py3*.txt")
        return sorted(((3, int(m[1])), f) for f in variants if (m := VARIANT.search(f.name)))

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


def region_needs(path: Path | str) -> dict[str, list[Include]]:
    """{region name: the regions its `# needs:` line names} of a snippet module."""
    path = Path(path)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    found = {}
    for above, line in itertools.pairwise(lines):
        m, n = MARKER.match(line), NEEDS.match(above)
        if m and m["kind"] == "start" and n:
            refs = [r.strip() for r in n["refs"].split(",") if r.strip()]
            found[m["name"]] = [
                Include((path.parent / r.split(":")[0]).as_posix(), r.split(":")[1]) if ":" in r
                else Include(path.as_posix(), r)
                for r in refs
            ]
    return found


def needed(inc: Include) -> list[Include]:
    """Every region `inc` needs, directly or through another, each once, a region after those it needs."""
    order: list[Include] = []

    def visit(item: Include, trail: tuple[Include, ...]) -> None:
        for need in region_needs(item.path).get(item.region, []):
            if need in trail:
                raise RegionError(f"{inc}: regions need each other in a cycle: {need}")
            region_code(need)  # fails clearly when the named region does not exist
            visit(need, (*trail, need))
            if need not in order:
                order.append(need)

    visit(inc, (inc,))
    return order


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
    """The flat `key: value` pairs of a page's front matter (enough for slug/title/date).

    `date` may also be Material's block with `created:` and `updated:` (an article changed
    after publication): then `date` is the created date and `updated` the other.
    """
    if not markdown.startswith("---\n"):
        return {}
    head = markdown[4 : markdown.index("\n---", 4)]
    pairs, parent = {}, None
    for line in head.splitlines():
        if parent == "date" and line.startswith("  ") and ":" in line:
            key, value = (part.strip() for part in line.split(":", 1))
            pairs["date" if key == "created" else key] = value
        elif ":" in line and not line.startswith((" ", "-")):
            key, value = line.split(":", 1)
            pairs[key.strip()] = value.strip().strip('"')
            parent = key.strip()
    return pairs


def post_dates(meta: dict) -> tuple[str, str | None]:
    """(created, updated or None) of a page's parsed meta, as YYYY-MM-DD."""
    date = meta.get("date")
    if isinstance(date, dict):
        created, updated = date.get("created"), date.get("updated")
    else:
        created, updated = date, None
    return str(created)[:10], (str(updated)[:10] if updated else None)


def pages(lang: str) -> dict[str, Path]:
    """{slug: page path} of the articles published in one language."""
    found = {}
    for page in sorted((ROOT / "docs" / lang / "posts").glob("*.md")):
        slug = front_matter(page.read_text(encoding="utf-8")).get("slug", page.stem)
        found[slug] = page
    return found


def package(slug: str) -> str:
    return slug.replace("-", "_")


def reader_files(slug: str) -> list[Path]:
    """The files the article's code opens by bare name (READER_FILES of its package)."""
    import ast

    init = ROOT / "snippets" / package(slug) / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["READER_FILES"]:
            files = [init.parent / rel for rel in ast.literal_eval(node.value)]
            missing = [str(f.relative_to(ROOT)) for f in files if not f.is_file()]
            if missing:
                raise RegionError(f"{init.relative_to(ROOT)}: READER_FILES names missing files {missing}")
            names = [f.name for f in files]
            if len(set(names)) != len(names):
                raise RegionError(f"{init.relative_to(ROOT)}: READER_FILES holds two files of one name")
            return files
    return []


def figure_dir(lang: str, slug: str) -> Path:
    return ROOT / "docs" / lang / "figures" / slug


def notebook_paths(lang: str, slug: str) -> tuple[Path, Path]:
    """(the downloadable script, the notebook) of an article in one language."""
    folder = ROOT / "docs" / lang / "notebooks"
    return folder / f"{package(slug)}_code.py", folder / f"{slug}.ipynb"


def reader_modules() -> set[str]:
    """Names of the modules a reader saves beside the code (the .py READER_FILES of every
    article): imports of these are the reader's own files, not packages to install."""
    return {f.stem for slug in pages("zh") for f in reader_files(slug) if f.suffix == ".py"}


def headings(markdown: str) -> list[tuple[int, str, str | None]]:
    """(level, text, explicit id or None) of every heading outside code blocks."""
    found = []
    for m in HEADING.finditer(strip_fences(markdown)):
        text = m[2]
        id_ = re.search(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", text)
        found.append((len(m[1]), re.sub(r"\s*\{[^}]*\}\s*$", "", text), id_ and id_[1]))
    return found

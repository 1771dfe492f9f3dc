"""Generate every output shown on the site from the code: `python -m tools.outputs [--measure] [SLUG ...]`.

- the printed output of each region a page includes (the region runs alone, in a fresh
  namespace, exactly as a reader who copies it would run it);
- the figures of snippets/<pkg>/figures.py, one SVG per language (photographs inside as JPEG);
- the article's code as a .py script and an .ipynb notebook, regions in page order;
- with --measure, first the machine-dependent measurements of snippets/<pkg>/measure.py.

tests/site/test_generated.py regenerates all of it in memory and fails when a committed
file differs, so nothing shown on the site can go stale.
"""

from __future__ import annotations

import base64
import contextlib
import difflib
import importlib
import io
import json
import os
import random
import re
import sys
import tempfile
import types
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
# One thread, as in tests/conftest.py: outputs must not depend on the machine's core count.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from tools.compare import difference  # noqa: E402
from tools.regions import (  # noqa: E402
    INCLUDE,
    LANGS,
    OLDEST_PYTHON,
    ROOT,
    Include,
    figure_dir,
    front_matter,
    includes,
    needed,
    notebook_paths,
    package,
    pages,
    reader_files,
    reader_modules,
    region_code,
    strip_fences,
)


def run_region(inc: Include) -> str:
    """Run one region as a reader's copy of it runs, and return what it printed.

    The copy: the regions its `# needs:` line names, then the region itself, in one fresh
    module that is `__main__` while it runs (so `from __main__ import ...` and pickling by
    reference work as in a script), compiled without this module's `from __future__` flags,
    in an empty folder that holds only the article's READER_FILES (what a reader downloads).
    Only the region's own output is kept.
    """
    main = types.ModuleType("__main__")
    namespace = main.__dict__
    out = io.StringIO()
    cwd, previous_main = os.getcwd(), sys.modules.get("__main__")
    with tempfile.TemporaryDirectory(prefix="pyml-region-") as folder:
        for path in reader_files(Path(inc.path).parent.name):
            os.symlink(path, Path(folder) / path.name)
        # The folder's own utils.py is what an import there finds, not one imported earlier.
        shadowed = {name: sys.modules.pop(name) for name in reader_modules() if name in sys.modules}
        try:
            os.chdir(folder)
            sys.modules["__main__"] = main
            sys.path.insert(0, folder)  # a script's folder comes first: the reader's utils.py
            for step in [*needed(inc), inc]:
                random.seed(0)  # only so that a region forgetting to seed shows up as a diff, not noise
                code = compile(region_code(step), str(step), "exec", dont_inherit=True)
                with contextlib.redirect_stdout(out if step == inc else io.StringIO()):
                    exec(code, namespace)
        finally:
            os.chdir(cwd)
            sys.modules["__main__"] = previous_main
            sys.path.remove(folder)
            for name, module in list(sys.modules.items()):  # forget the reader's own modules
                if (getattr(module, "__file__", None) or "").startswith(folder):
                    del sys.modules[name]
            sys.modules.update(shadowed)
    return out.getvalue()


def article_outputs(slug: str) -> dict[Include, str]:
    """{include: printed text, empty when it prints nothing} for every region of the article."""
    return {inc: run_region(inc) for inc in includes(pages("zh")[slug].read_text(encoding="utf-8"))}


# --- figures -----------------------------------------------------------------------------

FIGURE_STYLE = {
    "svg.fonttype": "none",  # labels stay text: the browser draws them with the page's fonts
    "svg.hashsalt": "pyml-notes",  # stable ids, so an unchanged figure is byte-identical
    "font.family": ["WenQuanYi Micro Hei", "DejaVu Sans"],
    "font.size": 11,
    "axes.unicode_minus": False,
}


EMBEDDED_PNG = re.compile(rb"data:image/png;base64,([A-Za-z0-9+/=\n]+)")


def photos_as_jpeg(svg: bytes) -> bytes:
    """Re-encode the photographs embedded in an SVG as JPEG.

    Matplotlib embeds every image as PNG, which stores a photograph about seven times bigger
    than JPEG does (the face-recognition alignment figure: 264 KB of PNG, 35 KB of JPEG), a
    real cost for a reader on a phone. An image keeps its PNG when it has transparency or
    when JPEG would not at least halve it: drawings, heat maps and flat synthetic scenes,
    which PNG stores well and JPEG would blur at their edges.
    """
    from PIL import Image

    def reencode(match: re.Match) -> bytes:
        png = base64.b64decode(match[1])
        image = Image.open(io.BytesIO(png)).convert("RGBA")
        if image.getextrema()[3][0] < 255:
            return match[0]
        jpeg = io.BytesIO()
        image.convert("RGB").save(jpeg, "JPEG", quality=85, optimize=True)
        if 2 * len(jpeg.getvalue()) > len(png):
            return match[0]
        return b"data:image/jpeg;base64," + base64.b64encode(jpeg.getvalue())

    return EMBEDDED_PNG.sub(reencode, svg)


def render_figures(slug: str, lang: str) -> dict[str, bytes]:
    """{file name: SVG bytes} of one article's figures in one language."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # demo modules may print on import
            module = importlib.import_module(f"snippets.{package(slug)}.figures")
    except ModuleNotFoundError as err:
        if err.name == f"snippets.{package(slug)}.figures":
            return {}
        raise
    import matplotlib
    import matplotlib.pyplot as plt

    rendered = {}
    with matplotlib.rc_context(FIGURE_STYLE):
        for name, make in module.FIGURES.items():
            fig = make(lang)
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
            plt.close(fig)
            rendered[f"{name}.svg"] = photos_as_jpeg(buf.getvalue())
    return rendered


# --- notebooks ---------------------------------------------------------------------------

def notebook(slug: str, lang: str, outputs: dict[Include, str]) -> tuple[str, str]:
    """(.py text, .ipynb text) of an article: its regions in page order, under its headings."""
    import jupytext
    import nbformat

    page = pages(lang)[slug]
    text = page.read_text(encoding="utf-8")
    title = front_matter(text).get("title", slug)
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n{_notebook_intro(lang, slug)}")]
    if fetch := _fetch_cell(slug):
        cells.append(nbformat.v4.new_code_cell(fetch))
    # Walk the page: emit the headings met since the previous code cell before each code cell.
    blank = strip_fences(text)
    events = [
        (m.start(), "h", f"{m[1]} " + re.sub(r"\s*\{[^}]*\}\s*$", "", m[2]))
        for m in re.finditer(r"^(#{2,3})[ \t]+(.+?)[ \t]*$", blank, re.M)
    ] + [(m.start(), "c", Include(m["path"], m["region"])) for m in INCLUDE.finditer(blank)]
    pending_headings: list[str] = []  # all headings since the last code cell, so levels never skip
    for _, kind, item in sorted(events, key=lambda e: e[0]):
        if kind == "h":
            pending_headings.append(item)
            continue
        if pending_headings:
            cells.append(nbformat.v4.new_markdown_cell("\n\n".join(pending_headings)))
            pending_headings = []
        cell = nbformat.v4.new_code_cell(region_code(item).rstrip("\n"))
        if outputs.get(item):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=outputs[item])]
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    for number, cell in enumerate(nb.cells):
        cell.id = f"cell-{number}"  # nbformat draws random ids; fixed ones keep files stable
    ipynb = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    # No jupytext version stamp: the file changes only when the article does.
    py = re.sub(r"^#\s+jupytext_version: .*\n", "", jupytext.writes(nb, fmt="py:percent"), flags=re.M)
    return py, ipynb


def _notebook_intro(lang: str, slug: str) -> str:
    packages = requirements(slug)
    pip = ""
    if "torch" in packages:  # PyPI's Linux torch carries CUDA (GBs); the CPU build is enough here
        pip += "pip install torch --index-url https://download.pytorch.org/whl/cpu\n"
    if [p for p in packages if p != "torch"]:
        pip += "pip install " + " ".join(p for p in packages if p != "torch") + "\n"
    if lang == "zh":
        intro = ("本文全部示例代码，按页面顺序排列，在一个空目录里从头到尾运行即可。"
                 + ("先安装所需的包：" if pip else "只用到 Python 标准库。"))
    else:
        intro = ("Every example of the article, in page order: it runs top to bottom in an empty folder. "
                 + ("First install what it needs:" if pip else "It needs nothing but Python's standard library."))
    return intro + (f"\n\n```bash\n{pip}```" if pip else "")


# Import names whose package on PyPI has another name.
PIP_NAMES = {"PIL": "pillow", "skimage": "scikit-image", "sklearn": "scikit-learn"}


def requirements(slug: str) -> list[str]:
    """The PyPI packages the article's regions import (not the standard library)."""
    import ast

    found = set()
    for inc in includes(pages("zh")[slug].read_text(encoding="utf-8")):
        for node in ast.walk(ast.parse(region_code(inc))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            found |= {n.split(".")[0] for n in names}
    third_party = found - set(sys.stdlib_module_names) - {"__future__"} - reader_modules()
    return sorted(PIP_NAMES.get(n, n) for n in third_party)


SITE_URL = re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]', (ROOT / "mkdocs.yml").read_text(), re.M)[1]


def _fetch_cell(slug: str) -> str | None:
    """A first code cell that downloads the files the article's code reads, when missing."""
    files = [(f.name, f"_src/{f.relative_to(ROOT).as_posix()}") for f in reader_files(slug)]
    if not files:
        return None
    rows = "".join(f"    ({name!r}, {url!r}),\n" for name, url in files)
    return (
        "# The files this article's code reads: fetched from the site when not in this folder.\n"
        "import os\nimport urllib.request\nfrom pathlib import Path\n\n"
        f'site = os.environ.get("PYML_NOTES_SITE", "{SITE_URL}")\n'
        f"for name, url in [\n{rows}]:\n"
        "    if not Path(name).exists():\n"
        "        urllib.request.urlretrieve(site + url, name)"
    )


# --- writing -----------------------------------------------------------------------------

def expected_files(slug: str) -> dict[str, bytes]:
    """{path relative to ROOT: bytes} of everything generated for one article.

    Printed outputs are those of the running Python (see output_files); the figures and
    notebooks are made with the oldest supported one only.
    """
    outputs = article_outputs(slug)
    files = output_files(outputs)
    for lang in LANGS if draws_figures() else ():
        if slug not in pages(lang):
            continue
        for name, svg in render_figures(slug, lang).items():
            files[str((figure_dir(lang, slug) / name).relative_to(ROOT))] = svg
        py, ipynb = notebook(slug, lang, outputs)
        py_path, nb_path = notebook_paths(lang, slug)
        files[str(py_path.relative_to(ROOT))] = py.encode()
        files[str(nb_path.relative_to(ROOT))] = ipynb.encode()
    return files


def output_files(outputs: dict[Include, str]) -> dict[str, bytes]:
    """{path: bytes} of the printed outputs, for the running Python.

    The oldest supported Python writes <mod>.<region>.txt (none for a region that prints
    nothing). A later one whose output differs from the file that applies to it writes its
    own <mod>.<region>.py3NN.txt. Files for other Pythons cannot be checked here: they are
    kept as they are.
    """
    version = sys.version_info[:2]
    files = {}
    for inc, text in outputs.items():
        if version == OLDEST_PYTHON:
            if text:
                files[str(inc.base_output.relative_to(ROOT))] = text.encode()
        else:
            path = inc.output_for(version)
            if (path.read_text(encoding="utf-8") if path.is_file() else "") != text:
                path = inc.base_output.with_name(f"{inc.base_output.stem}.py{version[0]}{version[1]}.txt")
                files[str(path.relative_to(ROOT))] = text.encode()
        others = [p for _, p in inc.output_variants()] + ([] if version == OLDEST_PYTHON else [inc.base_output])
        for other in others:
            if other.is_file():
                files.setdefault(str(other.relative_to(ROOT)), other.read_bytes())
    return files


def generated_dirs(slug: str) -> list:
    """Folders whose every file must be produced by expected_files (stale leftovers fail)."""
    pkg = ROOT / "snippets" / package(slug)
    return [pkg / "outputs"] + ([figure_dir(lang, slug) for lang in LANGS] if draws_figures() else [])


def draws_figures() -> bool:
    """Figures and notebooks are made by the oldest supported Python, with Matplotlib and
    jupytext; `make test-pythons` sets PYML_TEXTS_ONLY=1, for a Python with pytest alone."""
    return sys.version_info[:2] == OLDEST_PYTHON and os.environ.get("PYML_TEXTS_ONLY") != "1"


def measure(slug: str) -> None:
    """Run snippets/<pkg>/measure.py (timings and other machine-dependent figures).

    Its results go to snippets/<pkg>/measured/ and are committed; figures and outputs read
    them from there, so the stale-output test never re-measures anything.
    """
    try:
        module = importlib.import_module(f"snippets.{package(slug)}.measure")
    except ModuleNotFoundError as err:
        if err.name == f"snippets.{package(slug)}.measure":
            return
        raise
    print(f"{slug}: measuring (snippets/{package(slug)}/measure.py)")
    module.main()


def stale_files(slug: str) -> list[str]:
    """What a reader would see differ between the committed files and the code's output now:
    files missing, changed (tools/compare.py says what counts), or left over."""
    expected = expected_files(slug)
    stale = []
    for rel, data in sorted(expected.items()):
        path = ROOT / rel
        if not path.is_file():
            stale.append(f"missing: {rel}")
        elif why := difference(rel, path.read_bytes(), data):
            diff = difflib.unified_diff(
                path.read_text(encoding="utf-8", errors="replace").splitlines(),
                data.decode("utf-8", errors="replace").splitlines(),
                "committed", "generated now", lineterm="", n=1,
            )
            shown = "" if rel.endswith(".svg") else "\n" + "\n".join(list(diff)[:20])
            stale.append(f"stale: {rel}: {why}{shown}")
    for folder in generated_dirs(slug):
        if folder.is_dir():
            stale += [f"left over: {p.relative_to(ROOT)}" for p in sorted(folder.iterdir())
                      if str(p.relative_to(ROOT)) not in expected]
    return stale


def default_slugs() -> list[str]:
    """Every article; on a later Python only those that need nothing but the standard library
    (its printed outputs are all such a Python regenerates, see output_files)."""
    slugs = sorted(pages("zh"))
    if sys.version_info[:2] == OLDEST_PYTHON:
        return slugs
    return [slug for slug in slugs if not requirements(slug)]


def main(argv: list[str]) -> int:
    remeasure = "--measure" in argv
    slugs = [a for a in argv if not a.startswith("--")] or default_slugs()
    for slug in slugs:
        if remeasure:
            measure(slug)
        files = expected_files(slug)
        for d in generated_dirs(slug):
            if d.is_dir():
                for old in d.iterdir():
                    if str(old.relative_to(ROOT)) not in files:
                        old.unlink()
        for rel, data in files.items():
            path = ROOT / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            # A figure that only moved within tools/compare.py's tolerance is left as it is, so
            # regenerating on another CPU rewrites nothing but what a change really changed.
            if not path.exists() or difference(rel, path.read_bytes(), data):
                path.write_bytes(data)
                print(f"wrote {rel}")
        print(f"{slug}: {len(files)} files up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Code copied off the site runs where a reader puts it: an empty folder outside the repository.

A block on a page never imports the repository's `snippets` package; a block that uses an
earlier one says so (`# needs:`, shown on the page) and that block comes first. Each
article's downloadable <pkg>_code.py runs top to bottom with `python -E -s` in an empty folder, and its
.ipynb in a Jupyter kernel there; the files the code reads are fetched from the site (served
locally by the tests), and what each prints is what the page shows.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from tools.regions import includes, needed, notebook_paths, pages, reader_files, region_code

SLUGS = sorted(pages("en"))


def page_includes(slug):
    return includes(pages("en")[slug].read_text(encoding="utf-8"))


def imported_modules(code: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_no_block_imports_the_repository_package(slug):
    offending = [
        f"{inc}: {module}"
        for inc in page_includes(slug)
        for module in imported_modules(region_code(inc))
        if module.split(".")[0] == "snippets"
    ]
    assert not offending, "a reader's copy has no `snippets` package; use `# needs:` instead:\n" + "\n".join(offending)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_block_needs_only_blocks_the_page_shows_before_it(slug):
    shown, late = [], []
    for inc in page_includes(slug):
        late += [f"{inc} needs {need}" for need in needed(inc) if need not in shown]
        shown.append(inc)
    assert not late


def stored_output(inc) -> str:
    return inc.output.read_text(encoding="utf-8") if inc.output.is_file() else ""


def reader_env(base_url: str) -> dict:
    """The environment of a reader's shell: no PYTHONPATH, the site to fetch files from."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "PYML"))}
    return env | {"PYML_NOTES_SITE": base_url + "/", "MPLBACKEND": "Agg"}


def test_both_languages_download_the_same_code():
    import nbformat

    for slug in SLUGS:
        notebooks = [nbformat.read(notebook_paths(lang, slug)[1], as_version=4) for lang in ("zh", "en")]
        code = [[c.source for c in nb.cells if c.cell_type == "code"] for nb in notebooks]
        assert code[0] == code[1], slug


@pytest.mark.parametrize("slug", SLUGS)
def test_downloaded_script_runs_in_an_empty_folder(slug, base_url, tmp_path):
    script = tmp_path / notebook_paths("en", slug)[0].name
    script.write_bytes(notebook_paths("en", slug)[0].read_bytes())
    # -E -s: isolated from PYTHON* variables and the user's site-packages, as -I is, but the
    # script's own folder stays first on sys.path, as for any `python script.py`.
    done = subprocess.run([sys.executable, "-E", "-s", script.name], cwd=tmp_path, env=reader_env(base_url),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout == "".join(stored_output(inc) for inc in page_includes(slug))
    fetched = sorted(p.name for p in tmp_path.iterdir() if p.name in {f.name for f in reader_files(slug)})
    assert fetched == sorted(f.name for f in reader_files(slug)), "the script did not fetch the files it reads"


@pytest.mark.parametrize("slug", SLUGS)
def test_downloaded_notebook_runs_in_an_empty_folder(slug, base_url, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook_paths("en", slug)[1], as_version=4)
    env = reader_env(base_url) | {"PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, json.dumps(errors)[:3000]
    printed = ["".join(o.get("text", "") for o in c.get("outputs", []) if o.get("name") == "stdout") for c in code]
    fetch = [""] if reader_files(slug) else []  # the first cell fetches the files and prints nothing
    assert printed == fetch + [stored_output(inc) for inc in page_includes(slug)]

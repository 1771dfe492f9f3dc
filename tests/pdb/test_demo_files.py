"""The blocks the page shows are the files pdb runs, line for line."""

import re

import pytest

from snippets.pdb.sessions import run_pdb
from tools.regions import ROOT, reader_files, regions

BLOCKS = regions("snippets/pdb/demo_files.py")
MAIN_CALL = re.compile(r'\n\nif __name__ == "__main__":\n    \S.*\n')


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_each_block_is_the_file_the_reader_saves(name):
    (path,) = [p for p in reader_files("pdb") if p.stem == name]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(BLOCKS[name]), f"{path.name} must begin with the block {name}, line for line"
    rest = text[len(BLOCKS[name]):]
    # crash_demo.py and breakpoint_demo.py go on with the call the page describes; nothing else.
    assert rest == "" or MAIN_CALL.fullmatch(rest), rest


def page_line_numbers(lang):
    return [int(n) for n in re.findall(r"`b utils\.py:(\d+)`", (ROOT / f"docs/{lang}/posts/pdb.md").read_text())]


def test_the_pages_file_line_breakpoint_is_that_line_of_the_block_and_pdb_stops_there():
    (line,) = set(page_line_numbers("en") + page_line_numbers("zh"))
    assert BLOCKS["utils"].splitlines()[line - 1].strip() == "return a + b"  # as the prose says
    session = run_pdb("pdb_demo.py", [f"b utils.py:{line}", "c", "p a, b", "q"])
    assert session.stops()[1] == ("utils.py", line, "add")
    assert session.answers("p a, b") == ["(0, 1)\n"]
    assert session.answers(f"b utils.py:{line}") == [f"Breakpoint 1 at utils.py:{line}\n"]

"""The demo files as the page shows them: each region is the whole of the file of that name.

A reader saves these blocks as utils.py, pdb_demo.py, crash_demo.py and breakpoint_demo.py
(or downloads those files, READER_FILES), and pdb runs them by those names. Line numbers on the
page (`b utils.py:2`, `> pdb_demo.py(8)main()`) are therefore those of the block: the files
hold no docstring or region markers that would shift them. crash_demo.py and
breakpoint_demo.py go on with an `if __name__ == "__main__":` call the page describes (a block
that crashed or stopped in pdb could not run as a notebook cell). tests/pdb/test_demo_files.py
checks that each file is its block. test_average.py is the failing test of `pytest --pdb`;
stats.py is saved as scoring/stats.py. Its neighbour report.py has no block: its first line is a
relative import, which fails wherever the file runs as a script (a notebook cell, a region), so
the page shows it through pdb's `ll` (in_practice.py). This module is text for the page; nothing
imports it.
"""
# ruff: noqa: E402, F401, F811

# --8<-- [start:utils]
def add(a, b):
    return a + b


def average(values):
    total = 0
    for v in values:
        total = add(total, v)
    return total / len(values)
# --8<-- [end:utils]

# --8<-- [start:pdb_demo]
from utils import average

BATCHES = [[1, 2, 3], [4, 5], [6]]


def main(batches):
    for batch in batches:
        mean = average(batch)
        print(f"average of {batch} = {mean}")


if __name__ == "__main__":
    main(BATCHES)
# --8<-- [end:pdb_demo]

# --8<-- [start:crash_demo]
from utils import average

SCORES = {"alice": [3, 4], "bob": []}  # bob has no scores yet


def report(scores):
    for name, values in scores.items():
        print(f"{name}: {average(values)}")
# --8<-- [end:crash_demo]

# --8<-- [start:breakpoint_demo]
from utils import average


def report(batch):
    mean = average(batch)
    breakpoint()  # PEP 553: calls sys.breakpointhook(), by default pdb
    print(f"average of {batch} = {mean}")
# --8<-- [end:breakpoint_demo]

# --8<-- [start:test_average]
from utils import average


def check_average(values, expected):
    got = average(values)
    assert got == expected


def test_whole_numbers():
    check_average([1, 2, 3], 2)


def test_tenths():
    scores = [0.1, 0.2, 0.3]
    check_average(scores, 0.2)
# --8<-- [end:test_average]

# --8<-- [start:stats]
def mean(values):
    return sum(values) / len(values)


def spread(values):
    return max(values) - min(values)
# --8<-- [end:stats]

"""Inline breakpoint: PYTHONPATH=. python snippets/pdb/breakpoint_demo.py"""

# --8<-- [start:inline_breakpoint]
from snippets.pdb.utils import average


def report(batch):
    mean = average(batch)
    breakpoint()  # PEP 553: calls sys.breakpointhook(), by default pdb
    print(f"average of {batch} = {mean}")
# --8<-- [end:inline_breakpoint]


if __name__ == "__main__":
    report([1, 2, 3])

"""A script with a bug: PYTHONPATH=. python -m pdb snippets/pdb/crash_demo.py"""

# --8<-- [start:crash_script]
from snippets.pdb.utils import average

SCORES = {"alice": [3, 4], "bob": []}  # bob has no scores yet


def report(scores):
    for name, values in scores.items():
        print(f"{name}: {average(values)}")
# --8<-- [end:crash_script]


if __name__ == "__main__":
    report(SCORES)  # ZeroDivisionError inside average() when it reaches bob

"""The helper of the pdb demo: pdb_demo.py calls average(), which calls add()."""

# --8<-- [start:helper]
def add(a, b):
    return a + b


def average(values):
    total = 0
    for v in values:
        total = add(total, v)
    return total / len(values)
# --8<-- [end:helper]

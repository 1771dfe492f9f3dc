"""C3 linearization written out, and the two search orders the seed article confuses it with."""

# --8<-- [start:c3_merge]
def merge_steps(sequences):
    """C3's merge, one step at a time: yield (lists, rejected heads, head taken).

    A head is taken when it appears in no list's tail (everything after the first element).
    """
    sequences = [list(seq) for seq in sequences if seq]
    while sequences:
        rejected = []
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
            rejected.append(head)
        else:
            heads = ", ".join(sorted({seq[0].__name__ for seq in sequences}))
            raise TypeError(f"no consistent method resolution order (heads: {heads})")
        yield [list(seq) for seq in sequences], rejected, head
        sequences = [rest for seq in sequences if (rest := seq[1:] if seq[0] is head else seq)]


def c3_linearize(cls):
    """The C3 linearization of cls, computed from __bases__:
    L[C] = C + merge(L[B1], ..., L[Bn], [B1, ..., Bn])."""
    lists = [c3_linearize(base) for base in cls.__bases__] + [list(cls.__bases__)]
    return [cls] + [head for _, _, head in merge_steps(lists)]
# --8<-- [end:c3_merge]


# --8<-- [start:search_orders]
from collections import deque


def dfs_order(cls):
    """Depth first, left to right, first visit wins (Python 2's rule for classic classes)."""
    seen, order = set(), []

    def visit(c):
        if c not in seen:
            seen.add(c)
            order.append(c)
            for base in c.__bases__:
                visit(base)

    visit(cls)
    return order


def bfs_order(cls):
    """Breadth first, left to right: what the seed article claims Python 3 does."""
    seen, order, queue = {cls}, [], deque([cls])
    while queue:
        c = queue.popleft()
        order.append(c)
        for base in c.__bases__:
            if base not in seen:
                seen.add(base)
                queue.append(base)
    return order


def names(classes):
    return " ".join(c.__name__ for c in classes)
# --8<-- [end:search_orders]


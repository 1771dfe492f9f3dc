"""The seed's diamond cannot tell BFS from C3; a four-class hierarchy can."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.inheritance_mro.c3 import bfs_order, c3_linearize, dfs_order, merge_steps, names

# needs: c3.py:c3_merge, c3.py:search_orders
# --8<-- [start:diamond_cannot_tell]

class A:
    pass


class B(A):
    pass


class C(A):
    pass


class D(B, C):
    pass


print("__mro__", names(D.__mro__))
print("C3     ", names(c3_linearize(D)))
print("BFS    ", names(bfs_order(D)))
print("DFS    ", names(dfs_order(D)))
# Python 2's classic classes: depth first too, but with no `object` at the root
print("classic", names(c for c in dfs_order(D) if c is not object))
# --8<-- [end:diamond_cannot_tell]


# needs: c3.py:c3_merge, c3.py:search_orders
# --8<-- [start:bfs_is_wrong]

class P:
    def who(self):
        return "P"


class Q(P):
    pass


class R:
    def who(self):
        return "R"


class S(Q, R):
    pass


print("__mro__", names(S.__mro__))
print("C3     ", names(c3_linearize(S)))
print("BFS    ", names(bfs_order(S)))
print("S().who() ->", S().who())
# --8<-- [end:bfs_is_wrong]


# needs: bfs_is_wrong, c3.py:c3_merge, c3.py:search_orders
# --8<-- [start:merge_trace]
lists = [c3_linearize(base) for base in S.__bases__] + [list(S.__bases__)]
result = [S]
for lists_now, rejected, head in merge_steps(lists):
    result.append(head)
    line = "  ".join(f"[{names(seq)}]" for seq in lists_now).ljust(30) + f" take {head.__name__}"
    if rejected:  # heads tried first and refused: each is in some list's tail
        line += f"  (refused {names(rejected)}: in the tail of another list)"
    print(line)
print("L[S] =", names(result))
# --8<-- [end:merge_trace]

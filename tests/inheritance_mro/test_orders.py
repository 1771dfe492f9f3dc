from snippets.inheritance_mro import orders
from snippets.inheritance_mro.c3 import bfs_order, c3_linearize, dfs_order, names


def test_seed_diamond_cannot_tell_bfs_from_c3():
    assert names(orders.D.__mro__) == "D B C A object"
    assert names(c3_linearize(orders.D)) == names(bfs_order(orders.D)) == "D B C A object"
    assert names(dfs_order(orders.D)) == "D B A object C"


def test_classic_classes_had_no_object_so_their_diamond_order_is_d_b_a_c():
    """Stand-ins for Python 2 classic classes: A has no base at all, not even object."""
    from tests.inheritance_mro.test_c3 import StandIn

    a = StandIn("A", ())
    b, c = StandIn("B", (a,)), StandIn("C", (a,))
    assert names(dfs_order(StandIn("D", (b, c)))) == "D B A C"
    assert names(c for c in dfs_order(orders.D) if c is not object) == "D B A C"  # the page's last line


def test_c3_differs_from_bfs_when_bases_share_no_root():
    assert names(orders.S.__mro__) == "S Q P R object"
    assert names(c3_linearize(orders.S)) == "S Q P R object"
    assert names(bfs_order(orders.S)) == "S Q R P object"


def test_method_on_both_p_and_r_resolves_to_p():
    assert orders.S().who() == "P"


def test_merge_trace_of_s_refuses_object_once_because_it_is_in_the_tail_of_r_object():
    from snippets.inheritance_mro.c3 import merge_steps

    lists = [c3_linearize(b) for b in orders.S.__bases__] + [list(orders.S.__bases__)]
    steps = [(names(rejected), head.__name__) for _, rejected, head in merge_steps(lists)]
    assert steps == [("", "Q"), ("", "P"), ("object", "R"), ("", "object")]
    assert orders.result == list(orders.S.__mro__)  # the page's block, run as the module

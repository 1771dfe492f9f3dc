
import pytest

from snippets.inheritance_mro import refused
from snippets.inheritance_mro.c3 import bfs_order, c3_linearize, dfs_order, names


class StandIn:
    """Looks like a class to the hand-written orders; Python never validates it."""

    def __init__(self, name, bases):
        self.__name__, self.__bases__ = name, bases


def test_contradicting_base_orders_raise_type_error():
    with pytest.raises(TypeError, match="consistent method resolution"):
        type("Z", (refused.M1, refused.M2), {})


def test_base_listed_before_its_subclass_raises_type_error():
    with pytest.raises(TypeError, match="consistent method resolution"):
        type("Bad", (refused.Base, refused.Derived), {})
    assert refused.Good.__mro__ == (refused.Good, refused.Derived, refused.Base, object)


def test_bfs_and_dfs_would_accept_both_refused_hierarchies():
    # Stand-ins carrying the refused base lists: the naive orders happily produce one.
    z = StandIn("Z", (refused.M1, refused.M2))
    bad = StandIn("Bad", (refused.Base, refused.Derived))
    assert names(bfs_order(z)) == "Z M1 M2 X Y object"
    assert names(dfs_order(z)) == "Z M1 X object Y M2"
    assert names(bfs_order(bad)) == "Bad Base Derived object"
    with pytest.raises(TypeError, match="no consistent method resolution order"):
        c3_linearize(z)
    with pytest.raises(TypeError, match="no consistent method resolution order"):
        c3_linearize(bad)

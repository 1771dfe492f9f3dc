import random

import pytest

from snippets.inheritance_mro.c3 import bfs_order, c3_linearize, dfs_order, names


class StandIn:
    """Looks like a class to the hand-written orders; Python never validates it."""

    def __init__(self, name, bases):
        self.__name__, self.__bases__ = name, bases


def random_hierarchy(rng: random.Random, size: int) -> list[type]:
    """Classes created one by one, each with 0-3 bases picked from earlier ones.

    Python itself rejects some of them (TypeError): those are skipped here and
    checked separately in test_hand_c3_refuses_exactly_what_python_refuses.
    """
    classes: list[type] = []
    for i in range(size):
        k = rng.randint(0, min(3, len(classes)))
        bases = tuple(rng.sample(classes, k)) if k else (object,)
        try:
            classes.append(type(f"K{i}", bases, {}))
        except TypeError:
            continue
    return classes


def test_hand_c3_equals_mro_on_random_hierarchies():
    rng = random.Random(2026)
    checked = 0
    for _ in range(200):
        for cls in random_hierarchy(rng, 8):
            assert c3_linearize(cls) == list(cls.__mro__), names(cls.__mro__)
            checked += 1
    assert checked > 1000


def test_hand_c3_refuses_exactly_what_python_refuses():
    rng = random.Random(7)
    refused = 0
    for _ in range(300):
        classes = random_hierarchy(rng, 6)
        bases = tuple(rng.sample(classes, min(3, len(classes))))
        if len(set(bases)) < 2:
            continue
        try:
            cls = type("Probe", bases, {})
        except TypeError:
            refused += 1
            # The same request without Python's own check: a stand-in with those bases.
            stand_in = StandIn("Probe", bases)
            with pytest.raises(TypeError, match="no consistent method resolution order"):
                c3_linearize(stand_in)
        else:
            assert c3_linearize(cls) == list(cls.__mro__)
    assert refused > 0


def test_dfs_and_bfs_orders_on_a_diamond():
    class A: ...
    class B(A): ...
    class C(A): ...
    class D(B, C): ...
    assert names(dfs_order(D)) == "D B A object C"
    assert names(bfs_order(D)) == "D B C A object"

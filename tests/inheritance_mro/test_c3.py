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


def _is_subsequence(short: list, long: list) -> bool:
    rest = iter(long)
    return all(item in rest for item in short)


def broken_properties(order: list, cls: type) -> list[str]:
    """Which of the page's three properties the order of cls's classes breaks."""
    position = {c: i for i, c in enumerate(order)}
    broken = []
    if any(position[c] > position[b] for c in order for b in c.__bases__):
        broken.append("a class after one of its bases")
    if [position[b] for b in cls.__bases__] != sorted(position[b] for b in cls.__bases__):
        broken.append("local precedence")
    if not all(_is_subsequence(c3_linearize(base), order) for base in cls.__mro__[1:]):
        broken.append("monotonicity")
    return broken


def test_c3_keeps_classes_before_bases_local_precedence_and_monotonicity_on_random_hierarchies():
    """The three properties the page states, on every class of 200 random hierarchies."""
    rng = random.Random(11)
    checked = 0
    for _ in range(200):
        for cls in random_hierarchy(rng, 8):
            assert broken_properties(c3_linearize(cls), cls) == [], names(cls.__mro__)
            checked += 1
    assert checked > 1000


def test_the_property_checks_catch_orders_that_break_them():
    from snippets.inheritance_mro import orders

    # depth first puts A (and object) before C, a subclass of A
    assert broken_properties(dfs_order(orders.D), orders.D) == ["a class after one of its bases", "monotonicity"]
    assert broken_properties(list(reversed(orders.S.__mro__)), orders.S) == [
        "a class after one of its bases", "local precedence", "monotonicity"]

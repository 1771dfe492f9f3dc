def test_a_list_changes_in_place_an_int_is_replaced(run):
    namespace, printed = run("mutability", "mutable_vs_immutable")
    assert "list: [1, 2, 3] | same object: True" in printed
    assert "int : 1001 | same object: False | old object still 1000" in printed
    assert namespace["nums"] == [1, 2, 3] and namespace["n"] == 1001


def test_str_methods_return_new_objects(run):
    namespace, printed = run("mutability", "mutable_vs_immutable")
    assert namespace["s"] == "py" and namespace["upper"] == "PY"
    assert namespace["upper"] is not namespace["s"]
    assert "str : py PY | same object: False" in printed


def test_plus_equals_extends_a_list_in_place_but_rebinds_a_tuple(run):
    namespace, printed = run("mutability", "plus_equals")
    assert "list : [1, 2, 3] [1, 2, 3] | items is alias: True" in printed
    assert "tuple: (1, 2, 3) (1, 2) | point is alias: False" in printed
    assert namespace["point"] == (1, 2, 3) and namespace["alias"] == (1, 2)
    # why: list defines __iadd__ (in place); tuple does not, so += falls back to + and rebinds
    assert not hasattr(tuple, "__iadd__") and hasattr(list, "__iadd__")


def test_iadd_on_a_list_inside_a_tuple_raises_and_still_mutates(run):
    namespace, printed = run("mutability", "tuple_holding_list")
    assert "TypeError: 'tuple' object does not support item assignment" in printed
    assert namespace["t"] == ([1, 2, 3], "x")
    assert "t is now: ([1, 2, 3], 'x')" in printed


def test_extend_does_not_raise_on_the_same_tuple():
    """The page's advice: extend the list itself, which assigns no item of the tuple."""
    t = ([1, 2], "x")
    t[0].extend([3])
    assert t == ([1, 2, 3], "x")

import pytest

from snippets.object_model import mutability


def test_a_list_changes_in_place_an_int_is_replaced():
    nums = [1, 2]
    old = nums
    nums.append(3)
    assert nums is old
    n = int("1000")
    old = n
    n += 1
    assert n is not old and old == 1000


def test_str_methods_return_new_objects():
    s = "py"
    assert s.upper() == "PY" and s == "py"
    assert mutability.upper is not mutability.s


def test_plus_equals_extends_a_list_in_place_but_rebinds_a_tuple():
    assert mutability.items == [1, 2, 3] and mutability.point == (1, 2, 3)
    assert mutability.alias == (1, 2)  # the tuple that point named before
    items = [1, 2]
    alias = items
    items += [3]
    assert items is alias
    point = (1, 2)
    alias_t = point
    point += (3,)
    assert point is not alias_t and alias_t == (1, 2)
    assert not hasattr(tuple, "__iadd__") and hasattr(list, "__iadd__")


def test_iadd_on_a_list_inside_a_tuple_raises_and_still_mutates():
    t = ([1, 2], "x")
    with pytest.raises(TypeError, match="does not support item assignment"):
        t[0] += [3]
    assert t == ([1, 2, 3], "x")
    assert mutability.t == ([1, 2, 3], "x")  # the module's own run did the same


def test_extend_does_not_raise_on_the_same_tuple():
    t = ([1, 2], "x")
    t[0].extend([3])  # the safe spelling: no item assignment
    assert t == ([1, 2, 3], "x")

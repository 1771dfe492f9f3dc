import pytest

from snippets.object_model import passing


@pytest.mark.parametrize("arg", [int("1000"), 2.5, "text", (1, 2), frozenset({1}), [1, 2], {"k": 1}])
def test_the_parameter_is_the_callers_object_even_for_immutables(arg):
    # The seed claims immutable arguments are copied: the identity says otherwise.
    assert passing.id_inside(arg) == id(arg)


def test_rebinding_a_parameter_does_not_touch_the_caller():
    data = [1]
    passing.rebind(data)
    assert data == [1]


def test_mutating_a_parameter_changes_the_callers_object():
    data = [1]
    passing.mutate(data)
    assert data == [1, 0]


def test_augmented_assignment_on_an_int_parameter_only_rebinds():
    count = 1
    assert passing.increment(count) == 2
    assert count == 1


def test_results_come_back_as_a_tuple():
    assert passing.min_max([3, 1, 4, 1, 5]) == (1, 5)

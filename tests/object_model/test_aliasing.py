import math

import pytest

from snippets.object_model import aliasing


def test_multiplying_a_list_of_lists_repeats_one_row_and_a_comprehension_does_not(run):
    ns, printed = run("aliasing", "repeated_rows")
    lines = printed.splitlines()
    assert lines[0].endswith("[[1, 0, 0], [1, 0, 0]] | rows are one object: True")
    assert lines[1].endswith("[[1, 0, 0], [0, 0, 0]] | rows are one object: False")
    assert ns["grid"][0] is not ns["grid"][1]


def test_every_binding_form_makes_a_local_variable_of_the_function():
    names = set(aliasing.every_binding.__code__.co_varnames)
    bound = {"items", "total", "item", "math", "nullcontext", "value", "helper", "Local", "err", "caught", "count"}
    assert bound <= names
    assert aliasing.every_binding([1, 2, 3]) == ("ZeroDivisionError", 3, 2)


def test_except_as_unbinds_its_name_after_the_block():
    def after_except():
        try:
            raise ValueError
        except ValueError as err:  # noqa: F841 - the point: err is gone after the block
            pass
        return err  # noqa: F821

    with pytest.raises(UnboundLocalError):
        after_except()


def test_an_import_later_in_a_function_makes_the_name_local_from_its_first_line():
    with pytest.raises(UnboundLocalError, match="cannot access local variable 'math'"):
        aliasing.area(1.0)
    assert "math" in aliasing.area.__code__.co_varnames


def test_containers_find_a_nan_by_identity_though_it_equals_nothing(run):
    ns, printed = run("aliasing", "nan_in_containers")
    nan, other = ns["nan"], ns["other"]
    assert math.isnan(nan) and nan != nan and nan is not other
    assert nan in [nan] and [nan] == [nan] and other not in [nan]
    assert {nan: 1}[nan] == 1 and len({nan, other}) == 2
    assert printed.splitlines() == [
        "nan == nan        : False", "nan in [nan]      : True", "[nan] == [nan]    : True",
        "other in [nan]    : False", "{nan: 1}[nan]     : 1", "len({nan, other}) : 2"]

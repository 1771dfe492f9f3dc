import platform
import sys
import warnings

import pytest

from snippets.object_model import identity

cpython_only = pytest.mark.skipif(platform.python_implementation() != "CPython",
                                  reason="object caching is a CPython implementation detail")


def test_equal_values_built_at_run_time_are_equal():
    assert int("1000") == int("1000")
    assert "".join(["py", "thon"]) == "python"


@cpython_only
def test_cpython_gives_two_objects_for_1000_but_caches_small_ints():
    assert int("1000") is not int("1000")
    assert all(int(str(i)) is int(str(i)) for i in range(-5, 257))
    assert int("257") is not int("257") and int("-6") is not int("-6")


@cpython_only
def test_a_joined_string_is_not_the_literal_until_interned():
    joined, literal = "".join(["py", "thon"]), "python"
    assert joined is not literal
    assert sys.intern(joined) is sys.intern(literal)


def test_is_with_a_literal_is_a_syntax_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compile("x is 1000", "<test>", "eval")
    assert [w.category for w in caught] == [SyntaxWarning]
    assert "==" in str(caught[0].message)


def test_is_none_is_the_right_test_for_a_missing_argument():
    assert identity.describe() == "nothing given"
    assert identity.describe(0) == "got 0"  # falsy, but not None
    assert identity.describe([]) == "got []"


@cpython_only
def test_a_equals_8_binds_the_cached_int_instead_of_creating_one():
    # The seed says `a = 8` creates an int object; in CPython the 8 already exists.
    a = 8
    assert int("8") is a

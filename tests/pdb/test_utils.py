import pytest

from snippets.pdb import utils
from snippets.pdb.utils import add, average


def test_average_adds_up_the_values_one_call_to_add_at_a_time(monkeypatch):
    calls = []
    monkeypatch.setattr(utils, "add", lambda a, b: calls.append((a, b)) or a + b)
    assert average([1, 2, 3]) == 2.0
    assert calls == [(0, 1), (1, 2), (3, 3)]


def test_add_returns_the_sum():
    assert add(4, 5) == 9


def test_average_of_an_empty_list_is_the_bug_the_crash_demo_hits():
    with pytest.raises(ZeroDivisionError):
        average([])

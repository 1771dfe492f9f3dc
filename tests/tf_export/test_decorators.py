import functools

from snippets.tf_export import decorators


def test_wrapping_decorator_returns_a_new_function():
    loud = decorators.shout(decorators.greet)
    assert loud is not decorators.greet
    assert loud("ada") == "HELLO, ADA"
    # functools.wraps copies __name__, __doc__ and the rest of WRAPPER_ASSIGNMENTS
    # and sets __wrapped__; the object is still a new one
    for attr in functools.WRAPPER_ASSIGNMENTS:
        if hasattr(decorators.greet, attr):
            assert getattr(loud, attr) == getattr(decorators.greet, attr), attr
    assert loud.__name__ == "greet"
    assert loud.__wrapped__ is decorators.greet


def test_registering_decorator_returns_the_same_function_when_def_runs():
    assert "greet_twice" in decorators.SEEN  # recorded at import, before any call
    assert decorators.remember(decorators.greet) is decorators.greet


def test_the_name_is_bound_to_whatever_the_decorator_returns():
    seen = []

    def replace_with_its_name(func):
        seen.append(func)
        return func.__name__

    @replace_with_its_name
    def f():
        return "x"

    assert f == "f"  # the name holds the decorator's result, not the function
    assert callable(seen[0]) and seen[0]() == "x"  # it got the function when the def ran


def test_class_decorator_with_arguments_runs_init_then_call(capsys):
    label = decorators.Label("a", "b")

    def h():
        return 1

    assert label(h) is h
    assert h.labels == ("a", "b")
    out = capsys.readouterr().out.splitlines()
    assert out == ["1. __init__ got ('a', 'b')", "2. __call__ got h"]
    assert decorators.add.labels == ("math", "fast") and decorators.add(2, 3) == 5

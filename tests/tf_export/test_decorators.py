from snippets.tf_export import decorators


def test_wrapping_decorator_returns_a_new_function():
    loud = decorators.shout(decorators.greet)
    assert loud is not decorators.greet
    assert loud("ada") == "HELLO, ADA"
    assert loud.__name__ == "greet"  # functools.wraps copies the name, the object is new
    assert loud.__wrapped__ is decorators.greet


def test_registering_decorator_returns_the_same_function_when_def_runs():
    assert "greet_twice" in decorators.SEEN  # recorded at import, before any call
    assert decorators.remember(decorators.greet) is decorators.greet


def test_at_syntax_equals_calling_the_decorator_on_the_function():
    def f():
        return "x"

    g = decorators.shout(f)

    @decorators.shout
    def f2():
        return "x"

    assert g() == f2() == "X"


def test_class_decorator_with_arguments_runs_init_then_call(capsys):
    label = decorators.Label("a", "b")

    def h():
        return 1

    assert label(h) is h
    assert h.labels == ("a", "b")
    out = capsys.readouterr().out.splitlines()
    assert out == ["1. __init__ got ('a', 'b')", "2. __call__ got h"]
    assert decorators.add.labels == ("math", "fast") and decorators.add(2, 3) == 5

import sys

from snippets.pdb.breakpoint_hooks import show_locals


def caller_with_two_locals():
    first, second = "a", [1]
    line = sys._getframe().f_lineno + 1
    show_locals()
    return line, first, second


def test_show_locals_prints_the_callers_function_line_and_locals(capsys):
    line, *_ = caller_with_two_locals()
    out = capsys.readouterr().out
    assert out.startswith(f"[breakpoint in caller_with_two_locals() line {line}: ")
    assert "first='a'" in out and "second=[1]" in out

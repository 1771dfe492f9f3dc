import sys

from snippets.pdb import breakpoint_demo


def test_breakpoint_calls_sys_breakpointhook_with_the_locals_in_place(monkeypatch, capsys):
    seen = []
    monkeypatch.setattr(sys, "breakpointhook", lambda: seen.append(dict(sys._getframe(1).f_locals)))
    breakpoint_demo.report([1, 2, 3])
    assert seen == [{"batch": [1, 2, 3], "mean": 2.0}]
    assert capsys.readouterr().out == "average of [1, 2, 3] = 2.0\n"

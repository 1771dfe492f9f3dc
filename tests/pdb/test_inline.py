import sys

import pytest

from snippets.pdb import breakpoint_demo, inline
from snippets.pdb.sessions import line_of

SCRIPT = "breakpoint_demo.py"


@pytest.fixture(scope="module")
def session():
    return inline.breakpoint_session()


def expected_output():
    return f"average of [1, 2, 3] = {breakpoint_demo.average([1, 2, 3])}\n"


def test_breakpoint_opens_pdb_in_report_with_its_locals(session):
    file, line, func = session.stops()[0]
    assert (file, func) == (SCRIPT, "report")
    assert session.answers("p mean")[0] == "2.0\n"
    assert session.answers("c")[0] == expected_output()


def test_inline_breakpoint_stop_line_depends_on_the_python_version(session):
    # Up to 3.12 pdb stops at the next line; since 3.13 on the breakpoint() line itself.
    call = line_of(SCRIPT, "breakpoint()")
    expected = call if sys.version_info >= (3, 13) else call + 1
    assert session.stops()[0][1] == expected


def test_pythonbreakpoint_0_leaves_the_output_untouched(monkeypatch, capsys):
    session = inline.with_pythonbreakpoint("0")
    monkeypatch.setattr(sys, "breakpointhook", lambda *a, **k: None)
    breakpoint_demo.report([1, 2, 3])
    assert session.transcript == capsys.readouterr().out == expected_output()
    assert session.returncode == 0


def test_pythonbreakpoint_swaps_in_another_callable():
    session = inline.with_pythonbreakpoint("breakpoint_hooks.show_locals")
    line = line_of(SCRIPT, "breakpoint()")  # the caller's f_lineno is the call's line
    assert session.transcript == (f"[breakpoint in report() line {line}: batch=[1, 2, 3], mean=2.0]\n"
                                  + expected_output())


@pytest.mark.parametrize("value", ["nosuch.module.hook"])
def test_an_unimportable_pythonbreakpoint_only_warns(value):
    session = inline.with_pythonbreakpoint(value)
    assert session.transcript == expected_output()
    assert "RuntimeWarning" in session.stderr and value in session.stderr


def test_pdb_set_trace_ignores_pythonbreakpoint_0():
    session = inline.set_trace_with_breakpoints_off()
    assert session.answers("p x")[0] == "41\n"
    assert session.answers("c")[0] == "x is 42\n"  # the !x = 42 took effect

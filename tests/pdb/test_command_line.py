import re
import sys

import pytest

from snippets.pdb import command_line
from snippets.pdb.pdb_demo import BATCHES
from snippets.pdb.sessions import line_of, run_pdb, run_python

DEMO = "pdb_demo.py"
UTILS = "utils.py"


@pytest.fixture(scope="module")
def first():
    return command_line.first_stop()


@pytest.fixture(scope="module")
def stack():
    return command_line.breakpoints_and_stack()


@pytest.fixture(scope="module")
def stepping():
    return command_line.stepping()


def test_python_m_pdb_stops_before_the_first_line_runs(first):
    file, line, func = first.stops()[0]
    assert (file, func) == (DEMO, "<module>")
    assert line == line_of(DEMO, "from utils import average") == 1  # the import, not run yet
    assert first.transcript.index("(Pdb) ") < first.transcript.index("average of")  # nothing ran yet
    assert "NameError: name 'average' is not defined" in first.answers("p average")[0]
    assert first.answers("p average.__module__")[0] == "'utils'\n"


def test_python_m_pdb_restarts_the_program_when_it_ends(first):
    assert "The program finished and will be restarted" in first.transcript
    assert first.stops()[-1] == first.stops()[0]
    assert first.transcript.count("average of") == len(BATCHES)


def test_breakpoint_in_the_helper_file_shows_arguments_and_stack(stack):
    assert stack.stops()[1][::2] == (UTILS, "add")
    assert stack.answers("a")[0] == f"a = 0\nb = {BATCHES[0][0]}\n"
    frames = re.findall(r"^[ >] (\S+)\(\d+\)(\S+)\(\)", stack.answers("w")[0], re.M)
    assert frames == [(DEMO, "<module>"), (DEMO, "main"), (UTILS, "average"), (UTILS, "add")]
    assert stack.answers("p b")[0] == f"{BATCHES[0][0]}\n"
    assert "breakpoint   keep yes" in stack.answers("b")[0]  # bare b lists breakpoints
    assert stack.answers("p batch")[0] == f"{BATCHES[0]}\n"
    assert stack.answers("pp locals()")[0] == f"{{'total': 0, 'v': 1, 'values': {BATCHES[0]}}}\n"


def test_up_and_down_move_between_frames_without_running_code(stack):
    up, up2, down, down2 = (stack.answers(c) for c in ("u", "u", "d", "d"))
    assert "average()" in up[0] and "main()" in up[1]
    assert "average()" in down[0] and "add()" in down[1]


def test_return_runs_until_add_returns_and_shows_the_value(stack):
    assert stack.answers("r")[0].startswith("--Return--\n")
    assert f"add()->{0 + BATCHES[0][0]}\n" in stack.answers("r")[0]


def test_tbreak_deletes_itself_and_display_tracks_changes(stepping):
    assert "Deleted breakpoint 1" in stepping.answers("c")[0]
    assert stepping.answers("display total")[0] == "display total: 0\n"
    assert "display total: 1  [old: 0]" in stepping.transcript


def test_step_enters_add_and_return_leaves_it(stepping):
    assert "add()" in stepping.answers("s")[0]
    assert f"add()->{0 + BATCHES[0][0]}" in stepping.answers("r")[0]
    assert "average()" in stepping.answers("n")[2]  # n after r: back in the caller


def test_until_leaves_the_loop_and_bang_changes_a_local(stepping):
    batch = BATCHES[0]
    assert stepping.answers("p total, len(values)")[0] == f"({sum(batch)}, {len(batch)})\n"
    assert f"average()->{60 / len(batch)}" in stepping.answers("r")[-1]
    assert f"average of {batch} = {60 / len(batch)}" in stepping.transcript


def test_conditional_breakpoint_stops_once_per_value_above_3():
    session = command_line.conditional_breakpoint()
    in_add = [s for s in session.stops() if s[2] == "add"]
    expected = [(total, v) for batch in BATCHES for total, v in _add_calls(batch) if v > 3]
    assert len(in_add) == len(expected)
    assert session.answers("p a, b") == [f"({a}, {b})\n" for a, b in expected]
    assert "Deleted breakpoint 1" in session.answers("cl 1")[0]


def _add_calls(batch):
    total = 0
    for v in batch:
        yield total, v
        total += v


def test_post_mortem_on_an_uncaught_exception_shows_the_locals_at_the_crash():
    session = command_line.post_mortem_cli()
    assert "Uncaught exception. Entering post mortem debugging" in session.transcript
    assert session.stops()[1][::2] == (UTILS, "average")
    assert session.answers("p values, total")[0] == "([], 0)\n"
    assert session.answers("p name")[0] == "'bob'\n"
    assert session.stderr.splitlines()[-1] == "ZeroDivisionError: division by zero"


def test_q_in_post_mortem_restarts_the_program_up_to_3_12_and_quits_since_3_13():
    session = command_line.post_mortem_cli()
    after_q = session.answers("q")[0]
    if sys.version_info >= (3, 13):  # CPython gh-118714
        assert session.answers("q") == [""]  # pdb exited: no restart, no further prompt
        assert session.returncode == 0
        assert "restarted" not in session.transcript
    else:
        assert after_q.startswith("Post mortem debugger finished. The crash_demo.py will be restarted\n")
        assert session.stops()[-1] == session.stops()[0]  # before the first line again
        assert len(session.answers("q")) == 2


def test_c_in_post_mortem_restarts_the_program_on_every_version():
    session = run_pdb("crash_demo.py", ["c", "c", "q"])
    assert session.stops()[-1] == session.stops()[0] == ("crash_demo.py", 1, "<module>")
    assert "restarted" in session.answers("c")[1]
    assert session.transcript.count("alice: 3.5") == 1  # stopped before the rerun printed anything


def test_dash_c_commands_run_without_a_prompt():
    # The shell block on the page runs the same command.
    session = run_python(["-m", "pdb", "-c", "b utils.add", "-c", "continue", "-c", "p a, b",
                          "-c", "quit", DEMO], [])
    assert session.returncode == 0
    assert "(Pdb)" not in session.transcript
    assert f"(0, {BATCHES[0][0]})" in session.transcript


def test_a_function_breakpoint_is_reported_at_the_def_up_to_3_12_and_at_its_first_line_since_3_13(stack):
    def_line, body_line = line_of(UTILS, "def add("), line_of(UTILS, "return a + b")
    reported = def_line if sys.version_info < (3, 13) else body_line
    assert stack.answers("b utils.add") == [f"Breakpoint 1 at {UTILS}:{reported}\n"]
    assert stack.stops()[1] == (UTILS, body_line, "add")  # the stop is the same on every version

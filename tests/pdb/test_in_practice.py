import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from snippets.pdb import in_practice
from snippets.pdb.sessions import line_of, run_python
from snippets.pdb.utils import average

TESTS = "test_average.py"
SCORES = [0.1, 0.2, 0.3]  # test_tenths' list


@pytest.fixture(scope="module")
def post_mortem():
    return in_practice.pytest_pdb()


@pytest.fixture(scope="module")
def trace():
    return in_practice.pytest_trace()


@pytest.fixture(scope="module")
def the_file():
    return in_practice.run_the_file()


@pytest.fixture(scope="module")
def the_module():
    return in_practice.run_the_module()


# --- pytest --pdb / --trace -------------------------------------------------------------------

def test_the_second_test_fails_because_the_float_sum_is_not_exactly_0_6():
    assert average(SCORES) != 0.2
    assert repr(average(SCORES)) == "0.20000000000000004"


def test_pytest_pdb_stops_in_the_helper_whose_assert_failed(post_mortem):
    assert post_mortem.stops()[0] == (TESTS, line_of(TESTS, "assert got == expected"), "check_average")
    assert post_mortem.answers("p got") == [f"{average(SCORES)!r}\n"]
    assert "PDB post_mortem (IO-capturing turned off)" in post_mortem.transcript


def test_the_rewritten_assert_leaves_names_that_are_not_in_the_source(post_mortem):
    shown = post_mortem.answers("pp locals()")[0]
    assert "'@py_assert1': False" in shown and "'@py_format3'" in shown
    assert "'got': 0.20000000000000004" in shown
    assert "@py" not in Path(TESTS).read_text(encoding="utf-8")


def test_l_lists_the_test_file_with_the_arrow_on_the_assert(post_mortem):
    line = line_of(TESTS, "assert got == expected")
    assert f"{line:3}  ->\t    assert got == expected\n" in post_mortem.answers("l")[0]


def test_up_goes_to_the_test_that_called_the_helper(post_mortem):
    assert post_mortem.answers("up")[0].startswith(
        f"> {TESTS}({line_of(TESTS, 'check_average(scores, 0.2)')})test_tenths()\n")
    assert post_mortem.answers("p scores") == [f"{SCORES}\n"]


def test_q_ends_the_whole_pytest_run(post_mortem):
    assert "_pytest.outcomes.Exit: Quitting debugger" in post_mortem.transcript
    assert post_mortem.returncode == 2  # pytest's "interrupted"


def test_c_leaves_the_post_mortem_and_pytest_goes_on_with_the_next_test(tmp_path):
    two = tmp_path / "test_two.py"
    two.write_text("def test_one():\n    assert 1 == 2\n\n\ndef test_two():\n    assert 3 == 4\n")
    session = in_practice.run_pytest(["--pdb", str(two)], ["c", "c"])
    assert session.transcript.count("PDB post_mortem") == 2
    assert "2 failed in (time)" in session.transcript


def test_the_pytest_transcripts_name_no_version_folder_or_duration(post_mortem, trace):
    for text in (post_mortem.transcript, trace.transcript):
        assert "platform" not in text and "rootdir" not in text and "Python 3." not in text
        assert os.getcwd() not in text
        assert not re.search(r"\d+\.\d+s\b", text)
        assert "1 failed, 1 passed in (time)" in text


def test_pytest_trace_stops_before_the_first_line_of_every_test(trace):
    assert trace.stops() == [
        (TESTS, line_of(TESTS, "check_average([1, 2, 3], 2)"), "test_whole_numbers"),
        (TESTS, line_of(TESTS, "scores = [0.1, 0.2, 0.3]"), "test_tenths"),  # before it runs
        (TESTS, line_of(TESTS, "check_average(scores, 0.2)"), "test_tenths"),  # after n
    ]
    assert trace.transcript.count("IO-capturing turned off") == 2
    assert trace.transcript.count("IO-capturing resumed") == 2
    assert "E   assert 0.20000000000000004 == 0.2\n" in trace.transcript  # --tb=line


def test_trace_with_a_node_id_stops_only_in_that_test_and_prints_no_colour_even_when_forced(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # as a Jupyter kernel's environment may have it
    session = in_practice.run_pytest(["--trace", "--tb=no", f"{TESTS}::test_tenths"], ["c"])
    assert [func for _, _, func in session.stops()] == ["test_tenths"]
    assert "1 failed in (time)" in session.transcript
    assert "\x1b[" not in session.transcript


# --- python -m pdb -m -------------------------------------------------------------------------

def test_make_package_builds_a_package_folder_and_refuses_no_modules():
    assert in_practice.make_package("scoring", ["stats.py", "report.py"]) == [
        "scoring/__init__.py", "scoring/report.py", "scoring/stats.py"]
    assert Path("scoring/__init__.py").read_text() == ""
    with pytest.raises(ValueError, match="no modules to put into the package 'empty'"):
        in_practice.make_package("empty", [])


def test_ll_at_the_first_stop_shows_the_whole_of_report_py(the_file):
    source = Path("report.py").read_text(encoding="utf-8").splitlines()
    listed = the_file.answers("ll")[0].splitlines()
    assert len(listed) == len(source)
    assert [line.split("\t", 1)[1] for line in listed] == source


def test_the_file_run_by_its_path_has_no_package_and_its_relative_import_fails(the_file):
    assert the_file.answers("p __name__, __package__") == ["('__main__', '')\n"]
    assert "Uncaught exception. Entering post mortem debugging" in the_file.answers("c")[0]
    assert the_file.stops()[1] == ("scoring/report.py", 1, "<module>")
    assert the_file.stderr.splitlines()[-1] == "ImportError: attempted relative import with no known parent package"


def test_q_after_the_import_error_restarts_up_to_3_12_and_quits_since_3_13(the_file):
    if sys.version_info >= (3, 13):
        assert the_file.answers("q") == [""]
    else:
        assert the_file.answers("q")[0].startswith("Post mortem debugger finished")


def test_plain_python_fails_the_same_way():
    in_practice.make_package("scoring", ["stats.py", "report.py"])
    done = run_python(["scoring/report.py"], [])
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "ImportError: attempted relative import with no known parent package"


def test_sys_path_0_is_the_files_folder_for_a_path_and_the_current_folder_for_dash_m():
    in_practice.make_package("scoring", ["stats.py", "report.py"])
    ask = ["p __import__('sys').path[0] == __import__('os').getcwd()",
           "p __import__('os').path.basename(__import__('sys').path[0])"]
    by_path = run_python(["-m", "pdb", "scoring/report.py"], [*ask, "q"])
    by_module = run_python(["-m", "pdb", "-m", "scoring.report"], [*ask, "q"])
    assert [by_path.answers(c)[0] for c in ask] == ["False\n", "'scoring'\n"]
    assert by_module.answers(ask[0]) == ["True\n"]


def test_dash_m_runs_the_module_in_its_package_and_stops_in_the_other_file(the_module):
    from snippets.pdb.report import SCORES as REPORT_SCORES

    assert the_module.answers("p __name__, __package__") == ["('__main__', 'scoring')\n"]
    assert the_module.answers("b scoring/stats.py:6") == ["Breakpoint 1 at scoring/stats.py:6\n"]
    assert the_module.stops()[1] == ("scoring/stats.py", line_of("stats.py", "return max(values)"), "spread")
    assert the_module.answers("a") == [f"values = {REPORT_SCORES['alice']}\n"]
    frames = re.findall(r"^[ >] (\S+)\(\d+\)(\S+)\(\)", the_module.answers("w")[0], re.M)
    assert frames == [("scoring/report.py", "<module>"), ("scoring/report.py", "summary"),
                      ("scoring/stats.py", "spread")]


def test_the_shell_block_prints_the_report_restarts_and_exits_0():
    in_practice.make_package("scoring", ["stats.py", "report.py"])
    done = run_python(["-m", "pdb", "-c", "continue", "-m", "scoring.report"], [])
    assert done.returncode == 0
    assert "alice: mean" in done.transcript and "bob: mean" in done.transcript
    assert "The program finished and will be restarted" in done.transcript


# --- post-mortem after the prompt kept the exception ------------------------------------------

def test_the_prompt_keeps_the_exception_in_sys_last_traceback_and_pm_opens_its_innermost_frame():
    kept = in_practice.run_at_the_prompt("average([])")
    assert isinstance(kept, ZeroDivisionError) and kept is sys.last_value
    tb = sys.last_traceback
    while tb.tb_next:
        tb = tb.tb_next
    assert tb.tb_frame.f_code.co_name == "average"
    if sys.version_info >= (3, 12):
        assert sys.last_exc is sys.last_value and sys.last_exc.__traceback__ is sys.last_traceback
    session = in_practice.pm(["p values, total", "u", "q"])
    assert session.startswith(f"> utils.py({line_of('utils.py', 'return total')})average()\n")
    assert "(Pdb) p values, total\n([], 0)\n" in session
    assert "(Pdb) u\n> <input>(1)<module>()\n" in session


IPYTHON_DEBUG = """
import io, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.run_cell("from utils import average\\naverage([])")
tb = sys.last_traceback
while tb.tb_next:
    tb = tb.tb_next
print("innermost frame:", tb.tb_frame.f_code.co_name)
if sys.version_info >= (3, 12):
    print("last_exc is last_value:", sys.last_exc is sys.last_value)
sys.stdin = io.StringIO("p values, total\\nq\\n")
print("%debug:")
shell.run_line_magic("debug", "")
import pdb
sys.stdin = io.StringIO("p values, total\\nq\\n")
print("pdb.pm():")
pdb.pm()
"""


def test_ipython_debug_opens_the_frame_pdb_pm_opens():
    if importlib.util.find_spec("IPython") is None:
        pytest.skip("IPython is not installed in this Python: %debug is not checked here "
                    "(.venv, with IPython, checks it; nothing is proven on this version)")
    done = subprocess.run([sys.executable, "-c", IPYTHON_DEBUG], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": os.getcwd(), "PYTHONPATH": os.getcwd()})
    out = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)  # IPython colours its output
    assert done.returncode == 0, done.stderr
    assert "innermost frame: average\n" in out  # IPython kept the failed cell's traceback
    if sys.version_info >= (3, 12):
        assert "last_exc is last_value: True\n" in out
    debug, pm = out.split("%debug:\n", 1)[1].split("pdb.pm():\n")
    where = f"> {os.getcwd()}/utils.py({line_of('utils.py', 'return total')})average()"
    assert debug.startswith(where) and pm.startswith(where)
    assert "ipdb> ([], 0)\n" in debug  # the answer pdb.pm() gave in after_the_fact
    assert "([], 0)\n" in pm  # pdb.pm() after a failed cell, with IPython's debugger


def test_the_real_prompt_keeps_the_exception_for_pdb_pm():
    # The prompt reads its lines through C stdio, which buffers ahead; pdb gets its own stdin.
    typed = "average([])\nimport io, pdb; sys.stdin = io.StringIO('p values, total\\nq\\n'); pdb.pm()\n"
    done = subprocess.run([sys.executable, "-i", "-c", "import sys; from utils import average"], input=typed,
                          capture_output=True, text=True, timeout=20,
                          env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")})
    assert "ZeroDivisionError: division by zero" in done.stderr  # the prompt printed the traceback
    assert f"utils.py({line_of('utils.py', 'return total')})average()" in done.stdout
    assert "(Pdb) ([], 0)\n" in done.stdout

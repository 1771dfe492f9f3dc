"""pdb where one meets it: pytest --pdb / --trace, python -m pdb -m for a module of a package,
and post-mortem after an exception in an interactive session (what IPython's %debug does)."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.pdb.inprocess import standard_pdb
from snippets.pdb.sessions import portable, run_pdb, run_python


# needs: sessions.py:run_pdb
# --8<-- [start:run_pytest]
import re

# What changes from one machine or run to the next: versions, folders, the duration.
HEADER = re.compile(r"^(platform |rootdir: |configfile: |plugins: |cachedir: ).*\n", re.M)
DURATION = re.compile(r" in \d+\.\d+s(?: \([\d:]+\))? ")


def run_pytest(args, commands):
    """`python -m pytest ARGS` in this folder, with `commands` typed at pdb's prompt."""
    session = run_python(["-m", "pytest", *args], commands,
                         env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # no installed plugins
                              "PYTEST_ADDOPTS": "", "COLUMNS": "80",
                              "PY_COLORS": "0"})  # plain text even where colour is forced
    session.transcript = DURATION.sub(" in (time) ", HEADER.sub("", session.transcript))
    return session
# --8<-- [end:run_pytest]


# needs: run_pytest
# --8<-- [start:pytest_pdb]
def pytest_pdb():
    return run_pytest(["--pdb", "test_average.py"], [
        "p got",          # the frame where the assertion failed
        "pp locals()",    # pytest's rewritten assert left its own names there
        "l",
        "up",             # to the test that called the helper
        "p scores",
        "q",              # ends the whole run (c would go on with the next test)
    ])


if __name__ == "__main__":
    print(pytest_pdb().transcript, end="")
# --8<-- [end:pytest_pdb]


# needs: run_pytest
# --8<-- [start:pytest_trace]
def pytest_trace():
    return run_pytest(["--trace", "--tb=line", "test_average.py"], [
        "c",              # test_whole_numbers: let it run
        "n",              # test_tenths: one line
        "p scores",
        "c",
    ])


if __name__ == "__main__":
    print(pytest_trace().transcript, end="")
# --8<-- [end:pytest_trace]


# --8<-- [start:make_package]
import shutil
from pathlib import Path


def make_package(name, modules):
    """Put the downloaded MODULES into a folder NAME with an empty __init__.py: a package."""
    if not modules:
        raise ValueError(f"make_package: no modules to put into the package {name!r}")
    folder = Path(name)
    folder.mkdir(exist_ok=True)
    (folder / "__init__.py").touch()
    for module in modules:
        shutil.copyfile(module, folder / module)
    return sorted(p.as_posix() for p in folder.glob("*.py"))


if __name__ == "__main__":
    print(make_package("scoring", ["stats.py", "report.py"]))
# --8<-- [end:make_package]


# needs: sessions.py:run_pdb, make_package
# --8<-- [start:run_the_file]
import sys


def run_the_file():
    make_package("scoring", ["stats.py", "report.py"])
    commands = [
        "ll",                        # the whole module: its first line is a relative import
        "p __name__, __package__",
        "c",                         # the import fails: post-mortem
        "q",
    ]
    if sys.version_info < (3, 13):
        commands.append("q")  # 3.11 and 3.12 restart the program on that q (3.13 quits)
    return run_pdb("scoring/report.py", commands)


if __name__ == "__main__":
    session = run_the_file()
    print(session.transcript, end="")
    print("stderr ends with:", session.stderr.splitlines()[-1])
# --8<-- [end:run_the_file]


# needs: sessions.py:run_pdb, make_package
# --8<-- [start:run_the_module]
def run_the_module():
    make_package("scoring", ["stats.py", "report.py"])
    return run_python(["-m", "pdb", "-m", "scoring.report"], [
        "p __name__, __package__",
        "b scoring/stats.py:6",      # spread(): a file inside the package, by its path
        "c",
        "a",
        "w",
        "q",
    ])


if __name__ == "__main__":
    print(run_the_module().transcript, end="")
# --8<-- [end:run_the_module]


# needs: inprocess.py:pdb_object
# --8<-- [start:after_the_fact]
import code
import contextlib
import io
import pdb
import sys
from unittest import mock

from utils import average  # the utils.py in this folder


def run_at_the_prompt(source):
    """Run SOURCE as the interactive interpreter runs a line you type; it keeps what failed."""
    # The traceback it prints goes into a string; a Jupyter kernel's own sys.excepthook, which
    # the prompt would call instead, is set aside, as at a plain >>> prompt.
    with contextlib.redirect_stderr(io.StringIO()), mock.patch.object(sys, "excepthook", sys.__excepthook__):
        code.InteractiveInterpreter({"average": average}).runsource(source)
    # 3.12 added sys.last_exc; sys.last_value, the same object, stays for older code
    return sys.last_exc if sys.version_info >= (3, 12) else sys.last_value


def pm(commands):
    """pdb.pm(), with the debugger reading `commands` and writing into a string."""
    screen = io.StringIO()

    class Scripted(standard_pdb()):
        def __init__(self):
            typed = io.StringIO("".join(c + "\n" for c in commands))
            super().__init__(stdin=typed, stdout=screen, readrc=False)

    with mock.patch.object(pdb, "Pdb", Scripted):
        pdb.pm()  # post-mortem of the exception the prompt kept
    return portable(screen.getvalue(), commands)


if __name__ == "__main__":
    print("kept:", repr(run_at_the_prompt("average([])")))
    print(pm(["p values, total", "u", "q"]), end="")
# --8<-- [end:after_the_fact]

# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Debugging Python with pdb
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. It needs nothing but Python's standard library.

# %%
# The files this article's code reads: fetched from the site when not in this folder.
import os
import urllib.request
from pathlib import Path

site = os.environ.get("PYML_NOTES_SITE", "https://pyml-notes.github.io/")
for name, url in [
    ('utils.py', '_src/snippets/pdb/utils.py'),
    ('pdb_demo.py', '_src/snippets/pdb/pdb_demo.py'),
    ('crash_demo.py', '_src/snippets/pdb/crash_demo.py'),
    ('breakpoint_demo.py', '_src/snippets/pdb/breakpoint_demo.py'),
    ('breakpoint_hooks.py', '_src/snippets/pdb/breakpoint_hooks.py'),
    ('test_average.py', '_src/snippets/pdb/test_average.py'),
    ('stats.py', '_src/snippets/pdb/stats.py'),
    ('report.py', '_src/snippets/pdb/report.py'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)


# %% [markdown]
# ## The question
#
# ## The two demo files

# %%
def add(a, b):
    return a + b


def average(values):
    total = 0
    for v in values:
        total = add(total, v)
    return total / len(values)


# %%
from utils import average

BATCHES = [[1, 2, 3], [4, 5], [6]]


def main(batches):
    for batch in batches:
        mean = average(batch)
        print(f"average of {batch} = {mean}")


if __name__ == "__main__":
    main(BATCHES)

# %% [markdown]
# ## How the sessions are recorded

# %%
import os
import re
from pathlib import Path

# "> utils.py(2)add()" is where pdb stopped; "  file(line)func()" is a frame of `w`.
LOCATION = re.compile(r"^> (?P<file>.+?)\((?P<line>\d+)\)(?P<func>[\w<>]+)\(\)(?P<retval>->.*)?$")
FRAME = re.compile(r"^[ >] (?P<file>.+?)\((?P<line>\d+)\)(?P<func>[\w<>]+)\(\)")


def transcript(screen, commands, prompts=("(Pdb) ",)):
    """Write each command back after the prompt that read it, as a terminal would show it."""
    pattern = "|".join(re.escape(p) for p in prompts)
    parts = re.split(f"({pattern})", screen)  # text, prompt, text, prompt, ...
    out, pending = [parts[0]], list(commands)
    for prompt, text in zip(parts[1::2], parts[2::2], strict=True):
        out.append(prompt)
        if pending:
            out.append(pending.pop(0) + "\n")
        out.append(text)
    if pending:
        raise ValueError(f"pdb stopped reading after {len(commands) - len(pending)} of "
                         f"{len(commands)} commands; unread: {pending}")
    return "".join(out)


def portable(screen, commands):
    """The transcript, with files of this folder shown by name and pdb's own frames folded."""
    text = transcript(screen, commands)
    here = Path.cwd()
    # pdb names a script by its real path: a file linked into this folder shows where it lives.
    folders = {here, here.resolve(), *(p.resolve().parent for p in here.iterdir() if p.is_symlink())}
    for folder in sorted(folders, key=lambda f: len(str(f)), reverse=True):
        text = text.replace(f"{folder}{os.sep}", "")
    lines, out, i = text.splitlines(keepends=True), [], 0
    while i < len(lines):
        m = FRAME.match(lines[i])
        if m and m["file"].startswith(("/", "<")) and not lines[i].startswith(">"):
            i += 1  # a frame of bdb.py or <string>: skip it and its "-> code" line
            if i < len(lines) and lines[i].startswith("-> "):
                i += 1
            if not out or out[-1] != "  [pdb's own frames]\n":
                out.append("  [pdb's own frames]\n")
            continue
        out.append(lines[i])
        i += 1
    return "".join(out)


# %%
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass


@dataclass
class Session:
    """What a scripted debugger session printed."""

    transcript: str
    stderr: str = ""
    returncode: int = 0

    def stops(self):
        """(file, line, function) of every place where pdb stopped, in order."""
        return [(m["file"], int(m["line"]), m["func"])
                for m in map(LOCATION.match, self.transcript.splitlines()) if m]

    def answers(self, command):
        """What pdb printed right after each occurrence of `command` (up to the next prompt)."""
        found = []
        for chunk in self.transcript.split("(Pdb) ")[1:]:
            typed, _, rest = chunk.partition("\n")
            if typed == command:
                found.append(rest)
        return found


def run_python(args, commands, env=None):
    """Run `python ARGS` in the current folder, typing `commands` at pdb's prompt."""
    if isinstance(commands, str) or not all(isinstance(c, str) for c in commands):
        raise TypeError("commands must be a list of strings, one pdb command each")
    with tempfile.TemporaryDirectory() as home:  # no ~/.pdbrc of yours gets in
        environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONBREAKPOINT", "PYTHONPATH")}
        environ.update(HOME=home, PYTHONUNBUFFERED="1", **(env or {}))
        done = subprocess.run([sys.executable, *args], input="".join(c + "\n" for c in commands),
                              capture_output=True, text=True, env=environ, timeout=20)
    return Session(portable(done.stdout, commands), portable(done.stderr, []), done.returncode)


def run_pdb(script, commands, options=()):
    """`python -m pdb [OPTIONS] SCRIPT`, with `commands` typed at the (Pdb) prompt."""
    if not os.path.isfile(script):
        raise ValueError(f"run_pdb: no script {script!r} in this folder ({os.getcwd()})")
    return run_python(["-m", "pdb", *options, script], commands)


# %% [markdown]
# ## Starting with python -m pdb

# %%
def first_stop():
    return run_pdb("pdb_demo.py", [
        "p average",             # the import on line 1 has not run yet
        "n",
        "p average.__module__",  # now it has
        "c",                     # run to the end: pdb restarts the program
        "q",
    ])


if __name__ == "__main__":
    print(first_stop().transcript, end="")


# %% [markdown]
# ### Breakpoints and the stack

# %%
def breakpoints_and_stack():
    return run_pdb("pdb_demo.py", [
        "b utils.add",    # utils.py sits next to the script, so pdb finds it
        "c",
        "a",              # the arguments of add()
        "b",              # careful: the command b (list breakpoints)
        "p b",            # p prints the variable
        "w",              # the call stack, innermost frame last
        "u",              # up to average() ...
        "pp locals()",
        "u",              # ... and to main()
        "p batch",
        "d",
        "d",              # back down to add()
        "r",              # run until add() returns
        "q",
    ])


if __name__ == "__main__":
    print(breakpoints_and_stack().transcript, end="")


# %% [markdown]
# ### Stepping, displaying and changing variables

# %%
def stepping():
    return run_pdb("pdb_demo.py", [
        "tbreak utils.py:6",     # a breakpoint that deletes itself once hit
        "c",
        "ll",                    # the whole function, with -> at the current line
        "n",
        "display total",         # print total whenever it changes
        "n",
        "s",                     # step into add()
        "r",                     # run until add() returns
        "n",                     # back in average()
        "n",
        "unt",                   # leave the loop: run until a later line is reached
        "p total, len(values)",
        "!total = 60",           # a Python statement: change a local variable
        "r",
        "c",
        "q",
    ])


if __name__ == "__main__":
    print(stepping().transcript, end="")


# %% [markdown]
# ### Conditional breakpoints

# %%
def conditional_breakpoint():
    return run_pdb("pdb_demo.py", [
        "b utils.py:2, b > 3",   # stop in add() only when its argument b is above 3
        "c",
        "p a, b",
        "c",
        "p a, b",
        "c",
        "p a, b",
        "c",
        "cl 1",
        "q",
    ])


if __name__ == "__main__":
    print(conditional_breakpoint().transcript, end="")

# %% [markdown]
# ### After a crash: post-mortem debugging

# %%
from utils import average

SCORES = {"alice": [3, 4], "bob": []}  # bob has no scores yet


def report(scores):
    for name, values in scores.items():
        print(f"{name}: {average(values)}")


# %%
import sys


def post_mortem_cli():
    commands = [
        "c",                 # run until the uncaught exception
        "p values, total",   # the locals of average() at the crash
        "u",
        "p name",
        "q",                 # leave post-mortem
    ]
    if sys.version_info < (3, 13):
        commands.append("q")  # 3.11 and 3.12 restart the program on that q (3.13 quits)
    return run_pdb("crash_demo.py", commands)


if __name__ == "__main__":
    session = post_mortem_cli()
    print(session.transcript, end="")
    print("stderr ends with:", session.stderr.splitlines()[-1])

# %% [markdown]
# ### Commands up front with -c
#
# ## Command reference
#
# ## Breakpoints in the code: breakpoint() and pdb.set_trace()

# %%
from utils import average


def report(batch):
    mean = average(batch)
    breakpoint()  # PEP 553: calls sys.breakpointhook(), by default pdb
    print(f"average of {batch} = {mean}")


# %%
def breakpoint_session():
    # No -m pdb: the program runs at full speed until it calls breakpoint().
    return run_python(["breakpoint_demo.py"], ["p mean", "w", "c"])


if __name__ == "__main__":
    print(breakpoint_session().transcript, end="")

# %% [markdown]
# ### PYTHONBREAKPOINT: switching the debugger off or swapping it

# %%
import sys


def show_locals(*args, **kwargs):
    """A breakpoint hook: print where it was called and the caller's locals, go on."""
    caller = sys._getframe(1)
    where = f"{caller.f_code.co_name}() line {caller.f_lineno}"
    names = ", ".join(f"{k}={v!r}" for k, v in sorted(caller.f_locals.items()))
    print(f"[breakpoint in {where}: {names}]")


# %%
SETTINGS = ["0", "breakpoint_hooks.show_locals"]  # breakpoint_hooks.py sits next to the script


def with_pythonbreakpoint(value):
    # No commands at all: if pdb started, it would find nothing to read and quit.
    return run_python(["breakpoint_demo.py"], [], env={"PYTHONBREAKPOINT": value})


if __name__ == "__main__":
    for value in SETTINGS:
        print(f"$ PYTHONBREAKPOINT={value} python breakpoint_demo.py")
        print(with_pythonbreakpoint(value).transcript)

# %%
CODE = "import pdb\nx = 41\npdb.set_trace()\nprint('x is', x)\n"


def set_trace_with_breakpoints_off():
    return run_python(["-c", CODE], ["p x", "!x = 42", "c"], env={"PYTHONBREAKPOINT": "0"})


if __name__ == "__main__":
    print(set_trace_with_breakpoints_off().transcript, end="")

# %% [markdown]
# ## pdb inside a program
#
# ### A Pdb object

# %%
import bdb
import io
import pdb

from utils import average  # the utils.py in this folder


def standard_pdb():
    """pdb.Pdb, or in Jupyter its base: IPython puts its own debugger (prompt "ipdb>") there."""
    return next(cls for cls in pdb.Pdb.__mro__ if cls.__module__ == "pdb")


def debug_average(values, commands):
    """Run average(values) under a Pdb that reads `commands` and writes into a string."""
    screen = io.StringIO()
    # Breakpoints and their numbers are shared by every Pdb in the process: start afresh,
    # so that numbering begins at 1 as in a new `python -m pdb`.
    bdb.Breakpoint.clearBreakpoints()
    debugger = standard_pdb()(stdin=io.StringIO("".join(c + "\n" for c in commands)), stdout=screen,
                       readrc=False, nosigint=True)  # no ~/.pdbrc, no SIGINT handler
    try:
        result = debugger.runcall(average, values)  # stops on entering average()
    finally:
        debugger.clear_all_breaks()  # breakpoints are shared by every Pdb in the process
    return result, portable(screen.getvalue(), commands)


if __name__ == "__main__":
    result, session = debug_average([1, 2, 3], ["b utils.py:2, b == 3", "c", "p a, b", "c"])
    print(session, end="")
    print("average returned", result)

# %% [markdown]
# ### pdb.post_mortem()

# %%
import io
import pdb
from unittest import mock

from utils import average  # the utils.py in this folder


def post_mortem_of_average(values, commands):
    """Call average(values); if it raises, open pdb.post_mortem() on the traceback."""
    screen = io.StringIO()
    try:
        average(values)
    except ZeroDivisionError as err:
        # At a terminal this is just pdb.post_mortem(err.__traceback__). Here the debugger it
        # creates reads scripted commands and writes into a string, to show the session.
        class Scripted(standard_pdb()):
            def __init__(self):
                typed = io.StringIO("".join(c + "\n" for c in commands))
                super().__init__(stdin=typed, stdout=screen, readrc=False)

        with mock.patch.object(pdb, "Pdb", Scripted):
            pdb.post_mortem(err.__traceback__)
    return portable(screen.getvalue(), commands)


if __name__ == "__main__":
    print(post_mortem_of_average([], ["p values, total", "ll", "q"]), end="")

# %% [markdown]
# ## pdb where you actually meet it
#
# ### pytest --pdb: post-mortem at the failing assertion

# %%
from utils import average


def check_average(values, expected):
    got = average(values)
    assert got == expected


def test_whole_numbers():
    check_average([1, 2, 3], 2)


def test_tenths():
    scores = [0.1, 0.2, 0.3]
    check_average(scores, 0.2)


# %%
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


# %%
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


# %% [markdown]
# ### pytest --trace: stop at the start of every test

# %%
def pytest_trace():
    return run_pytest(["--trace", "--tb=line", "test_average.py"], [
        "c",              # test_whole_numbers: let it run
        "n",              # test_tenths: one line
        "p scores",
        "c",
    ])


if __name__ == "__main__":
    print(pytest_trace().transcript, end="")


# %% [markdown]
# ### A module inside a package: python -m pdb -m

# %%
def mean(values):
    return sum(values) / len(values)


def spread(values):
    return max(values) - min(values)


# %%
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

# %%
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


# %%
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

# %% [markdown]
# ### Post-mortem in a notebook: %debug and pdb.pm()

# %%
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


# %% [markdown]
# ## Attaching to a running process, and remote debugging
#
# ## Pitfalls

# %%
def forgotten_breakpoint():
    # As in CI or under a job runner: stdin is empty, so pdb reads end-of-file at its prompt.
    return run_python(["breakpoint_demo.py"], [])


if __name__ == "__main__":
    session = forgotten_breakpoint()
    print(session.transcript)
    print("exit status:", session.returncode)
    print("stderr ends with:", session.stderr.splitlines()[-1])

# %%
import subprocess
import sys
import tempfile
from pathlib import Path


def run_next_to_a_file_named_pdb():
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "pdb.py").write_text('print("this is ./pdb.py, not the debugger")\n')
        Path(folder, "job.py").write_text('print("job.py ran")\n')
        done = subprocess.run([sys.executable, "-m", "pdb", "job.py"], cwd=folder, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=20)
    return done.stdout


if __name__ == "__main__":
    print(run_next_to_a_file_named_pdb(), end="")

# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Debugging Python with pdb
#
# Every example of the article, in page order. Each cell runs on its own; run their tests from the repository root with `pytest tests/pdb`.

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
from snippets.pdb.utils import average

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
import subprocess
import sys
import tempfile


def run_python(args: list[str], commands: list[str], env: dict | None = None) -> Session:
    """Run `PYTHONPATH=. python ARGS` in the repository root, typing `commands` at pdb's prompt."""
    if isinstance(commands, str) or not all(isinstance(c, str) for c in commands):
        raise TypeError("commands must be a list of strings, one pdb command each")
    with tempfile.TemporaryDirectory() as home:  # no ~/.pdbrc of the reader's gets in
        environ = {k: v for k, v in os.environ.items() if k != "PYTHONBREAKPOINT"}
        # A script's own folder goes first on sys.path; the root is needed for `import snippets`.
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        environ.update(HOME=home, PYTHONPATH=path, PYTHONUNBUFFERED="1", **(env or {}))
        done = subprocess.run([sys.executable, *args], input="".join(c + "\n" for c in commands),
                              capture_output=True, text=True, cwd=ROOT, env=environ, timeout=20)
    return Session(portable(done.stdout, commands), portable(done.stderr, []), done.returncode)


def run_pdb(script: str, commands: list[str], options: tuple[str, ...] = ()) -> Session:
    """`python -m pdb [OPTIONS] SCRIPT`, with `commands` typed at the (Pdb) prompt."""
    if not (ROOT / script).is_file():
        raise ValueError(f"run_pdb: no such script {script!r} (paths are relative to {ROOT.name}/)")
    return run_python(["-m", "pdb", *options, script], commands)


# %%
def transcript(screen: str, commands: list[str], prompts=("(Pdb) ",)) -> str:
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


# %% [markdown]
# ## Starting with python -m pdb

# %%
from snippets.pdb.sessions import run_pdb


def first_stop():
    return run_pdb("snippets/pdb/pdb_demo.py", [
        "p average",             # the import has not run yet
        "n",
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
from snippets.pdb.sessions import run_pdb


def breakpoints_and_stack():
    return run_pdb("snippets/pdb/pdb_demo.py", [
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
from snippets.pdb.sessions import run_pdb


def stepping():
    return run_pdb("snippets/pdb/pdb_demo.py", [
        "tbreak utils.average",  # a breakpoint that deletes itself once hit
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
from snippets.pdb.sessions import run_pdb


def conditional_breakpoint():
    return run_pdb("snippets/pdb/pdb_demo.py", [
        "b utils.add, b > 3",    # stop in add() only when its argument b is above 3
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
from snippets.pdb.utils import average

SCORES = {"alice": [3, 4], "bob": []}  # bob has no scores yet


def report(scores):
    for name, values in scores.items():
        print(f"{name}: {average(values)}")


# %%
from snippets.pdb.sessions import run_pdb


def post_mortem_cli():
    return run_pdb("snippets/pdb/crash_demo.py", [
        "c",                 # run until the uncaught exception
        "p values, total",   # the locals of average() at the crash
        "u",
        "p name",
        "q",                 # leave post-mortem: pdb restarts the program
        "q",
    ])


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
from snippets.pdb.utils import average


def report(batch):
    mean = average(batch)
    breakpoint()  # PEP 553: calls sys.breakpointhook(), by default pdb
    print(f"average of {batch} = {mean}")


# %%
from snippets.pdb.sessions import run_python


def breakpoint_session():
    # No -m pdb: the program runs at full speed until it calls breakpoint().
    return run_python(["snippets/pdb/breakpoint_demo.py"], ["p mean", "w", "c"])


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
from snippets.pdb.sessions import run_python

SETTINGS = ["0", "snippets.pdb.hooks.show_locals"]


def with_pythonbreakpoint(value):
    # No commands at all: if pdb started, it would find nothing to read and quit.
    return run_python(["snippets/pdb/breakpoint_demo.py"], [], env={"PYTHONBREAKPOINT": value})


if __name__ == "__main__":
    for value in SETTINGS:
        print(f"$ PYTHONPATH=. PYTHONBREAKPOINT={value} python snippets/pdb/breakpoint_demo.py")
        print(with_pythonbreakpoint(value).transcript)

# %%
from snippets.pdb.sessions import run_python

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

from snippets.pdb.sessions import portable
from snippets.pdb.utils import average


def debug_average(values, commands):
    """Run average(values) under a Pdb that reads `commands` and writes into a string."""
    screen = io.StringIO()
    # Breakpoints and their numbers are shared by every Pdb in the process: start afresh,
    # so that numbering begins at 1 as in a new `python -m pdb`.
    bdb.Breakpoint.clearBreakpoints()
    debugger = pdb.Pdb(stdin=io.StringIO("".join(c + "\n" for c in commands)), stdout=screen,
                       readrc=False, nosigint=True)  # no ~/.pdbrc, no SIGINT handler
    try:
        result = debugger.runcall(average, values)  # stops on entering average()
    finally:
        debugger.clear_all_breaks()  # breakpoints are shared by every Pdb in the process
    return result, portable(screen.getvalue(), commands)


if __name__ == "__main__":
    result, session = debug_average([1, 2, 3], ["b add, b == 3", "c", "p a, b", "c"])
    print(session, end="")
    print("average returned", result)

# %% [markdown]
# ### pdb.post_mortem()

# %%
import io
import pdb
from contextlib import redirect_stdout
from unittest import mock

from snippets.pdb.sessions import portable
from snippets.pdb.utils import average


def post_mortem_of_average(values, commands):
    """Call average(values); if it raises, open pdb.post_mortem() on the traceback."""
    screen = io.StringIO()
    try:
        average(values)
    except ZeroDivisionError as err:
        # At a terminal this is just pdb.post_mortem(err.__traceback__); here stdin is
        # scripted and stdout captured so that the session can be shown and tested.
        with mock.patch("sys.stdin", io.StringIO("".join(c + "\n" for c in commands))):
            with redirect_stdout(screen):
                pdb.post_mortem(err.__traceback__)
    return portable(screen.getvalue(), commands)


if __name__ == "__main__":
    print(post_mortem_of_average([], ["p values, total", "ll", "q"]), end="")

# %% [markdown]
# ## Attaching to a running process, and remote debugging
#
# ## Pitfalls

# %%
from snippets.pdb.sessions import run_python


def forgotten_breakpoint():
    # As in CI or under a job runner: stdin is empty, so pdb reads end-of-file at its prompt.
    return run_python(["snippets/pdb/breakpoint_demo.py"], [])


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

"""Sessions of `python -m pdb SCRIPT`, each driven by a list of commands (see sessions.py)."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.pdb.sessions import run_pdb


# needs: sessions.py:run_pdb
# --8<-- [start:first_stop]
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
# --8<-- [end:first_stop]


# needs: sessions.py:run_pdb
# --8<-- [start:breakpoints_and_stack]
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
# --8<-- [end:breakpoints_and_stack]


# needs: sessions.py:run_pdb
# --8<-- [start:stepping]
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
# --8<-- [end:stepping]


# needs: sessions.py:run_pdb
# --8<-- [start:conditional_breakpoint]
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
# --8<-- [end:conditional_breakpoint]


# needs: sessions.py:run_pdb
# --8<-- [start:post_mortem_cli]
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
# --8<-- [end:post_mortem_cli]

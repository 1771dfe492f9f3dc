"""breakpoint() in the code, PYTHONBREAKPOINT, and pdb.set_trace(), each run as a real process."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.pdb.sessions import run_python


# needs: sessions.py:run_pdb
# --8<-- [start:breakpoint_session]
def breakpoint_session():
    # No -m pdb: the program runs at full speed until it calls breakpoint().
    return run_python(["breakpoint_demo.py"], ["p mean", "w", "c"])


if __name__ == "__main__":
    print(breakpoint_session().transcript, end="")
# --8<-- [end:breakpoint_session]


# needs: sessions.py:run_pdb
# --8<-- [start:pythonbreakpoint]
SETTINGS = ["0", "breakpoint_hooks.show_locals"]  # breakpoint_hooks.py sits next to the script


def with_pythonbreakpoint(value):
    # No commands at all: if pdb started, it would find nothing to read and quit.
    return run_python(["breakpoint_demo.py"], [], env={"PYTHONBREAKPOINT": value})


if __name__ == "__main__":
    for value in SETTINGS:
        print(f"$ PYTHONBREAKPOINT={value} python breakpoint_demo.py")
        print(with_pythonbreakpoint(value).transcript)
# --8<-- [end:pythonbreakpoint]


# needs: sessions.py:run_pdb
# --8<-- [start:set_trace_ignores_env]
CODE = "import pdb\nx = 41\npdb.set_trace()\nprint('x is', x)\n"


def set_trace_with_breakpoints_off():
    return run_python(["-c", CODE], ["p x", "!x = 42", "c"], env={"PYTHONBREAKPOINT": "0"})


if __name__ == "__main__":
    print(set_trace_with_breakpoints_off().transcript, end="")
# --8<-- [end:set_trace_ignores_env]

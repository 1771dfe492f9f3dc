"""pdb inside the running interpreter: a Pdb object with its own stdin/stdout, and post_mortem()."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.pdb.sessions import portable


# needs: sessions.py:transcript
# --8<-- [start:pdb_object]
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
# --8<-- [end:pdb_object]


# needs: sessions.py:transcript, pdb_object
# --8<-- [start:post_mortem]
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
# --8<-- [end:post_mortem]

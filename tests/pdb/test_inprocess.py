import bdb

from snippets.pdb.inprocess import debug_average, post_mortem_of_average
from snippets.pdb.sessions import line_of


def test_a_pdb_object_reads_its_own_stdin_and_writes_its_own_stdout(capsys):
    result, session = debug_average([1, 2, 3], ["b utils.py:2, b == 3", "c", "p a, b", "c"])
    assert result == 2.0
    assert f"(Pdb) p a, b\n({1 + 2}, 3)\n" in session  # the third call: add(1 + 2, 3)
    assert capsys.readouterr().out == ""  # nothing went to the real stdout
    assert not any(bdb.Breakpoint.bpbynumber[1:])  # breakpoints were cleared


def test_conditional_breakpoint_in_process_never_stops_when_false():
    result, session = debug_average([1, 2], ["b utils.py:2, b == 3", "c"])
    assert result == 1.5
    assert session.count("add()") == 0


def test_post_mortem_shows_the_locals_of_the_frame_that_raised():
    session = post_mortem_of_average([], ["p values, total", "q"])
    assert session.startswith(f"> utils.py({line_of('utils.py', 'return total')})average()\n")
    assert "(Pdb) p values, total\n([], 0)\n" in session


import sys

from snippets.pdb.pitfalls import forgotten_breakpoint, run_next_to_a_file_named_pdb


def test_a_forgotten_breakpoint_with_no_input_stops_the_program():
    session = forgotten_breakpoint()
    assert session.transcript.count("(Pdb) ") == 1
    assert "average of [1, 2, 3] =" not in session.transcript  # the print never ran
    if sys.version_info < (3, 14):
        assert session.returncode == 1
        assert session.stderr.splitlines()[-1] == "bdb.BdbQuit"


def test_a_local_pdb_py_shadows_the_debugger():
    out = run_next_to_a_file_named_pdb()
    assert out == "this is ./pdb.py, not the debugger\n"
    assert "job.py ran" not in out

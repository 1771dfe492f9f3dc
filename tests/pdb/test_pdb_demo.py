import subprocess
import sys

from snippets.pdb import pdb_demo
from snippets.pdb.utils import average


def test_main_prints_one_average_per_batch(capsys):
    pdb_demo.main(pdb_demo.BATCHES)
    expected = "".join(f"average of {b} = {sum(b) / len(b)}\n" for b in pdb_demo.BATCHES)
    assert capsys.readouterr().out == expected
    assert [average(b) for b in pdb_demo.BATCHES] == [sum(b) / len(b) for b in pdb_demo.BATCHES]


def test_the_script_runs_in_the_readers_folder_with_nothing_else(capsys):
    # The folder holds the READER_FILES only (tests/pdb/conftest.py); -E -s: no PYTHONPATH, no
    # user site. (Not -I: it implies -P, which leaves the script's folder off sys.path.)
    done = subprocess.run([sys.executable, "-E", "-s", "pdb_demo.py"], capture_output=True,
                          text=True, timeout=20)
    pdb_demo.main(pdb_demo.BATCHES)
    assert done.returncode == 0, done.stderr
    assert done.stdout == capsys.readouterr().out

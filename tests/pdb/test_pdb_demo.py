import os
import subprocess
import sys

from snippets.pdb import pdb_demo
from snippets.pdb.sessions import ROOT
from snippets.pdb.utils import average


def test_main_prints_one_average_per_batch(capsys):
    pdb_demo.main(pdb_demo.BATCHES)
    expected = "".join(f"average of {b} = {sum(b) / len(b)}\n" for b in pdb_demo.BATCHES)
    assert capsys.readouterr().out == expected
    assert [average(b) for b in pdb_demo.BATCHES] == [sum(b) / len(b) for b in pdb_demo.BATCHES]


def test_the_script_runs_from_the_repository_root_with_pythonpath_dot(capsys):
    done = subprocess.run([sys.executable, "snippets/pdb/pdb_demo.py"], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH="."), capture_output=True, text=True,
                          timeout=20)
    pdb_demo.main(pdb_demo.BATCHES)
    assert done.returncode == 0
    assert done.stdout == capsys.readouterr().out

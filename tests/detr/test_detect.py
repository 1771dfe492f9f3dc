"""detect.py, the launcher a reader downloads: the article's command line from detr_code.py.

It runs where a reader runs it: a folder holding the article's script detr_code.py (the generated
docs/en/notebooks/detr_code.py) and the READER_FILES, with no access to this repository.
"""

import os
import shutil
import subprocess
import sys

import pytest

from snippets.detr.infer import WEIGHTS, main
from tools.regions import notebook_paths, reader_files


@pytest.fixture
def reader_folder(tmp_path):
    shutil.copy(notebook_paths("en", "detr")[0], tmp_path)
    for path in reader_files("detr"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def run(folder, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "PYML"))}
    env["PYML_NOTES_SITE"] = "http://127.0.0.1:9/"  # nothing may be fetched: a fetch fails
    return subprocess.run([sys.executable, "detect.py", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_launcher_is_a_reader_file():
    assert "detect.py" in [p.name for p in reader_files("detr")]


def test_launcher_prints_what_the_repositorys_command_line_prints(reader_folder, capsys):
    done = run(reader_folder, "sample.png", "--out", "drawn.png")
    assert done.returncode == 0 and done.stderr == ""
    assert main([str(reader_folder / "sample.png")], weights=WEIGHTS) == 0
    # importing detr_code.py runs none of the article's examples: only the command line prints
    assert done.stdout == capsys.readouterr().out + "drawn to drawn.png\n"
    assert (reader_folder / "drawn.png").is_file()


@pytest.mark.parametrize("args, message", [
    (["nothing.png"], "error: image not found: nothing.png"),
    (["sample.png", "--weights", "missing.pt"], "error: weights file not found: missing.pt"),
    (["sample.png", "--threshold", "2"], "error: --threshold must be in [0, 1], got 2.0"),
])
def test_launcher_reports_bad_input_in_one_line_with_exit_code_2(reader_folder, args, message):
    done = run(reader_folder, *args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [message]

"""The pdb article's code runs in the reader's folder: utils.py and the demo scripts side by side.

The modules of snippets/pdb import `utils` by its bare name, as the reader's copies do, so that
folder is on sys.path. Every test runs in a fresh folder holding links to the READER_FILES (as
`make outputs` runs the regions), which is where run_pdb() finds the scripts.
"""

import os
import sys
from pathlib import Path

import pytest

from tools.regions import reader_files

PACKAGE = Path(__file__).resolve().parents[2] / "snippets" / "pdb"
if str(PACKAGE) not in sys.path:
    sys.path.append(str(PACKAGE))


@pytest.fixture(scope="module", autouse=True)
def readers_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reader")
    for path in reader_files("pdb"):
        os.symlink(path, folder / path.name)
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)

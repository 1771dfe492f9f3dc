from pathlib import Path

import pytest

from snippets.pdb.sessions import Session, line_of, portable, run_pdb, run_python, transcript


def test_transcript_writes_each_command_after_its_prompt():
    screen = "> f.py(1)<module>()\n(Pdb) 3\n(Pdb) "
    assert transcript(screen, ["p 1 + 2", "q"]) == "> f.py(1)<module>()\n(Pdb) p 1 + 2\n3\n(Pdb) q\n"


def test_transcript_says_when_pdb_stopped_reading_early():
    with pytest.raises(ValueError, match="after 1 of 3 commands"):
        transcript("(Pdb) done\n", ["c", "p x", "q"])


def test_portable_names_this_folders_files_and_folds_pdbs_own_frames(readers_folder):
    real = Path("utils.py").resolve().parent  # the links point into snippets/pdb/
    screen = (f"(Pdb)   /usr/lib/python3/bdb.py(600)run()\n-> exec(cmd, globals, locals)\n"
              f"  <string>(1)<module>()\n  {readers_folder}/pdb_demo.py(13)<module>()\n"
              f"-> main(BATCHES)\n> {real}/utils.py(2)add()\n-> return a + b\n")
    text = portable(screen, ["w"])
    assert str(readers_folder) not in text and str(real) not in text
    assert "bdb.py" not in text and "<string>" not in text
    assert "  pdb_demo.py(13)<module>()\n" in text
    assert "> utils.py(2)add()\n" in text
    assert text.count("[pdb's own frames]") == 1


def test_portable_leaves_paths_outside_this_folder_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert portable("> /elsewhere/x.py(1)f()\n", []) == "> /elsewhere/x.py(1)f()\n"


def test_session_reads_stops_and_answers():
    s = Session("> a.py(3)f()\n-> x\n(Pdb) p x\n1\n(Pdb) n\n--Return--\n> a.py(4)f()->1\n(Pdb) p x\n2\n")
    assert s.stops() == [("a.py", 3, "f"), ("a.py", 4, "f")]
    assert s.answers("p x") == ["1\n", "2\n"]


def test_line_of_finds_the_line_and_names_what_is_missing():
    lines = Path("utils.py").read_text().splitlines()
    number = line_of("utils.py", "def add(")
    assert lines[number - 1].startswith("def add(")
    with pytest.raises(ValueError, match="does not occur in utils.py"):
        line_of("utils.py", "no such text")
    with pytest.raises(ValueError, match="no such file"):
        line_of("nope.py", "x")


def test_bad_arguments_get_one_line_errors():
    with pytest.raises(ValueError, match="no script 'nope.py' in this folder"):
        run_pdb("nope.py", ["q"])
    with pytest.raises(TypeError, match="list of strings"):
        run_python(["-c", "pass"], "q")

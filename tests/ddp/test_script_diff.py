import inspect
from pathlib import Path

from snippets.ddp import script_diff, train, train_single
from tools.outputs import run_region
from tools.regions import Include

HERE = Path(script_diff.__file__).parent
DIFF = script_diff.script_diff(HERE / "train_single.py", HERE / "train.py")


def changed(prefix):
    return [line[1:] for line in DIFF if line.startswith(prefix) and not line.startswith(prefix * 3)]


def test_the_diff_is_small_and_adds_the_ddp_pieces():
    added, removed = changed("+"), changed("-")
    assert len(removed) <= 12 and len(added) <= 45
    text = "\n".join(added)
    for piece in ["init_process_group", "init_method=\"env://\"", "timeout=", "DDP(make_model()",
                  "DistributedSampler(data", "sampler.set_epoch(epoch)", "if rank == 0:",
                  "model.module.state_dict()", "dist.destroy_process_group()"]:
        assert piece in text, piece
    assert "shuffle=True," in "\n".join(removed)  # the DataLoader no longer shuffles by itself


def test_data_model_and_arguments_are_untouched():
    for name in ["make_data", "make_model", "parse_args"]:
        assert inspect.getsource(getattr(train, name)) == inspect.getsource(getattr(train_single, name))


def test_the_diff_reads_the_files_on_disk():
    for name in ["train.py", "train_single.py"]:
        assert script_diff.script_lines(HERE / name)[-1] == "    main()"
    assert DIFF[:2] == ["--- train_single.py", "+++ train.py"]



def test_the_block_diffs_the_two_scripts_in_the_current_folder():
    """Run as a reader's copy: an empty folder holding only the READER_FILES."""
    printed = run_region(Include("snippets/ddp/script_diff.py", "minimal_diff")).splitlines()
    assert printed[:-1] == DIFF
    assert printed[-1] == (f"# train.py: {len(script_diff.script_lines(HERE / 'train.py'))} lines; "
                           f"{len(changed('+'))} added, {len(changed('-'))} removed")

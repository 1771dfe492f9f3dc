import inspect

from snippets.ddp import script_diff, train, train_single


def changed(prefix):
    return [line[1:] for line in script_diff.diff if line.startswith(prefix) and not line.startswith(prefix * 3)]


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
    assert script_diff.ddp[-1] == "    main()" and script_diff.single[-1] == "    main()"
    assert script_diff.diff[:2] == ["--- train_single.py", "+++ train.py"]

import pytest
import torch
import torch.distributed as dist

from snippets.ddp import train
from snippets.ddp.checks import same_samples_one_process


@pytest.mark.timeout(90)
def test_every_rank_ends_with_identical_parameters(launched):
    ranks = launched["ranks"]
    for result in ranks[1:]:
        for p, q in zip(result["trained"], ranks[0]["trained"], strict=True):
            assert torch.equal(p, q)


@pytest.mark.timeout(90)
@pytest.mark.parametrize("world_fixture", ["world1", "world2", "world3"])
def test_ddp_training_equals_one_process_with_world_times_batch(request, world_fixture):
    """World 3 also covers the padding: 512 rows do not split into 3 equal shards."""
    ranks = request.getfixturevalue(world_fixture)["ranks"]
    reference = same_samples_one_process(len(ranks), epochs=2)
    for got, want in zip(ranks[0]["trained"], reference.parameters(), strict=True):
        torch.testing.assert_close(got, want.detach(), rtol=0, atol=1e-6)
    # ...and training moved the weights: the comparison is not between two initialisations.
    start = next(train.make_model().parameters())
    assert (ranks[0]["trained"][0] - start).abs().max() > 1e-2


@pytest.mark.timeout(90)
def test_only_rank0_prints_and_saves(world2):
    ranks, out = world2["ranks"], world2["out"]
    assert ranks[0]["printed"].splitlines()[1].startswith("epoch 0: loss ")
    assert ranks[1]["printed"] == ""
    saved = torch.load(out / "model.pt", weights_only=True)
    for p, q in zip(saved.values(), ranks[0]["trained"], strict=True):
        assert torch.equal(p, q)


def test_refuses_to_run_outside_torchrun(monkeypatch, tmp_path):
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    with pytest.raises(SystemExit, match="LOCAL_RANK is not set; start it with torchrun"):
        train.main(["--out", str(tmp_path)])
    assert not dist.is_initialized()


@pytest.mark.parametrize("argv", [["--epochs", "0"], ["--batch-size", "-1"], ["--lr", "0"]])
def test_bad_arguments_give_a_one_line_error(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        train.parse_args([*argv, "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(
        "--epochs and --batch-size must be >= 1 and --lr > 0")


@pytest.mark.timeout(120)
def test_runs_unchanged_as_two_nodes_under_torchrun(two_nodes):
    """train.py under two torchrun agents (--nnodes=2, c10d rendezvous), as on two machines.

    The agents were started by the two_nodes fixture in conftest.py before the first test.
    """
    results = two_nodes.wait(timeout=100)
    for returncode, _, err in results:
        assert returncode == 0, err
    printed = "".join(out for _, out, _ in results)
    assert "2 processes x 32 samples = 64 per step" in printed
    written = [n for n in range(2) if (two_nodes.out / f"node{n}" / "model.pt").exists()]
    assert len(written) == 1  # global rank 0 lives on exactly one of the two "machines"


def test_default_timeout_is_30_minutes_and_10_for_nccl():
    """What train.py's timeout= replaces (PyTorch 2.13, torch/distributed/distributed_c10d.py)."""
    from datetime import timedelta

    from torch.distributed import distributed_c10d as c10d

    assert c10d._get_default_timeout(dist.Backend.GLOO) == timedelta(minutes=30)
    # A CPU build has no NCCL default to read; the documented value is checked instead.
    assert "Default value is 10 minutes for NCCL and 30 minutes for other backends" in " ".join(
        dist.init_process_group.__doc__.split())

import pytest
import torch

from snippets.ddp.checks import full_batch_gradient
from snippets.ddp.train import make_data, make_model

pytestmark = pytest.mark.timeout(90)


def test_construction_broadcasts_rank0_parameters_and_buffers(launched):
    ranks = launched["ranks"]
    rank0_before = ranks[0]["broadcast"][0]
    for rank, result in enumerate(ranks):
        before, after = result["broadcast"]
        if rank:
            # Different seeds and a different buffer value: the ranks really started apart.
            assert any(not torch.equal(b, b0) for b, b0 in zip(before, rank0_before, strict=True))
        for a, b0 in zip(after, rank0_before, strict=True):
            assert torch.equal(a, b0)


def test_ddp_gradient_equals_full_batch_gradient(launched):
    ranks = launched["ranks"]
    world = len(ranks)
    expected = full_batch_gradient(world)
    for result in ranks:
        for got, want in zip(result["gradient"], expected, strict=True):
            torch.testing.assert_close(got, want, rtol=0, atol=1e-6)


def test_effective_batch_is_per_rank_batch_times_world(launched):
    """The averaged gradient is that of world * batch rows, not of one rank's batch."""
    ranks = launched["ranks"]
    world, batch = len(ranks), 16
    own_rows_only = full_batch_gradient(1, batch)  # rank 0's rows alone
    got = ranks[0]["gradient"]
    assert max((g - o).abs().max().item() for g, o in zip(got, own_rows_only, strict=True)) > 1e-3
    first_line = launched["ranks"][0]["printed"].splitlines()[0]
    assert first_line == f"{world} processes x 32 samples = {world * 32} per step"


def test_no_sync_accumulation_equals_large_batch(launched):
    ranks = launched["ranks"]
    world, micro, steps = len(ranks), 8, 4
    x, y = make_data()[: world * micro * steps]
    model = make_model()
    torch.nn.functional.mse_loss(model(x), y).backward()
    for result in ranks:
        for got, p in zip(result["no_sync"][1], model.parameters(), strict=True):
            torch.testing.assert_close(got, p.grad, rtol=0, atol=1e-6)


def test_no_sync_backward_does_not_communicate(launched):
    """Inside no_sync() each rank keeps its own gradient: the ranks still differ."""
    local = [result["no_sync"][0] for result in launched["ranks"]]
    for other in local[1:]:
        assert any(not torch.allclose(a, b) for a, b in zip(local[0], other, strict=True))


def test_reference_order_is_the_sampler_shards_interleaved():
    """Step k of all ranks together = positions k*world*batch ... of the padded order."""
    from torch.utils.data.distributed import DistributedSampler

    for n, world, batch in [(512, 2, 32), (512, 3, 32), (10, 4, 2)]:
        shards = []
        for r in range(world):
            sampler = DistributedSampler(range(n), world, r, shuffle=True, seed=0)
            sampler.set_epoch(1)
            shards.append(list(sampler))
        order = torch.randperm(n, generator=torch.Generator().manual_seed(1)).tolist()
        order += order[: -len(order) % world]
        per_rank = len(order) // world
        for start in range(0, per_rank, batch):
            together = sorted(i for shard in shards for i in shard[start:start + batch])
            assert together == sorted(order[start * world: min(start + batch, per_rank) * world])


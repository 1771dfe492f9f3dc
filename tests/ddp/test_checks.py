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



def test_forward_outside_no_sync_still_communicates(launched):
    """The no_sync docs: the forward pass belongs inside, or gradients are still synchronized."""
    ranks = launched["ranks"]
    expected = full_batch_gradient(len(ranks))
    for result in ranks:
        for got, want in zip(result["forward_outside_no_sync"], expected, strict=True):
            torch.testing.assert_close(got, want, rtol=0, atol=1e-6)


def test_buckets_default_sizes_and_order(world2):
    """First backward: one bucket of every parameter. From the second on, buckets rebuilt in the
    order the gradients arrived: 1 MiB first (the last layer), then up to 25 MiB each."""
    layout = world2["ranks"][0]["buckets"]
    assert layout["bucket_bytes_cap"] == 25 * 2**20 and layout["first_bucket_bytes"] == 2**20
    first, second, third = layout["buckets"]
    layers = 28
    assert len(first) == 1 and len(first[0]) == 2 * layers

    def layer_range(bucket):
        return sorted({int(name.split(".")[0]) for name in bucket}, reverse=True)

    assert [layer_range(b) for b in second] == [[27], list(range(26, 1, -1)), [1, 0]]
    assert third == second
    assert world2["ranks"][1]["buckets"] == layout


def test_buffers_come_from_rank0_at_each_forward_but_batchnorm_uses_local_statistics(launched):
    for rank, result in enumerate(launched["ranks"]):
        buffers = result["buffers"]
        assert torch.equal(buffers["before"], torch.full((3,), float(rank)))
        # momentum 0.5: (rank 0's buffer, 0, + this rank's batch mean) / 2
        torch.testing.assert_close(buffers["after"], 0.5 * buffers["x"].mean(0), rtol=0, atol=1e-6)
        # the output is normalised with this rank's own batch: its mean is 0 on every rank
        torch.testing.assert_close(buffers["out_mean"], torch.zeros(3), rtol=0, atol=1e-6)

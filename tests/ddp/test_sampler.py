import pytest
from torch.utils.data.distributed import DistributedSampler


def shards(n, world, **kwargs):
    return [list(DistributedSampler(range(n), world, r, **kwargs)) for r in range(world)]


@pytest.mark.parametrize("n,world", [(12, 2), (12, 3), (12, 4)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_shards_are_disjoint_and_cover_the_data(n, world, shuffle):
    parts = shards(n, world, shuffle=shuffle, seed=3)
    flat = [i for p in parts for i in p]
    assert sorted(flat) == list(range(n))


@pytest.mark.parametrize("n,world", [(10, 4), (11, 3), (5, 4)])  # (10, 4) is the page's example
def test_padding_repeats_the_first_indices(n, world):
    parts = shards(n, world, shuffle=False)
    per_rank = -(-n // world)  # ceil
    assert all(len(p) == per_rank for p in parts)
    # Rank r takes positions r, r + world, ... of range(n) extended by its own start.
    padded = list(range(n)) + list(range(n))[: per_rank * world - n]
    assert parts == [padded[r::world] for r in range(world)]
    assert set(i for p in parts for i in p) == set(range(n))


def test_drop_last_drops_the_tail_instead():
    parts = shards(10, 4, shuffle=False, drop_last=True)
    assert parts == [[0, 4], [1, 5], [2, 6], [3, 7]]


def test_order_changes_between_epochs_only_with_set_epoch():
    samplers = [DistributedSampler(range(12), 2, r, shuffle=True, seed=0) for r in range(2)]
    first = [list(s) for s in samplers]
    assert [list(s) for s in samplers] == first  # iterating again: the same order
    for s in samplers:
        s.set_epoch(1)
    second = [list(s) for s in samplers]
    assert second != first
    for s in samplers:
        s.set_epoch(0)
    assert [list(s) for s in samplers] == first  # the order is a function of seed + epoch
    assert sorted(second[0] + second[1]) == list(range(12))  # still one permutation split

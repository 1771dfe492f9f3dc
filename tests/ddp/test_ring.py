import pytest
import torch

from snippets.ddp.ring import ring_cost, ring_schedule, simulate_ring

pytestmark = pytest.mark.timeout(90)


@pytest.mark.parametrize("world", [1, 2, 3, 4, 7])
def test_schedule_has_2_n_minus_1_steps_and_every_chunk_travels(world):
    for rank in range(world):
        steps = ring_schedule(rank, world)
        assert len(steps) == ring_cost(world, 1)[0] == 2 * (world - 1)
        scatter = [s for s in steps if s[0] == "reduce-scatter"]
        gather = [s for s in steps if s[0] == "all-gather"]
        # Each phase sends every chunk but one: rank r never sends chunk r + 1 while
        # reducing (it ends up owning it) and never sends chunk r + 2 while gathering.
        assert sorted(s[2] for s in scatter) == [c for c in range(world) if c != (rank + 1) % world]
        assert sorted(s[2] for s in gather) == [c for c in range(world) if c != (rank + 2) % world]
        # What a rank receives at a step is what its left neighbour sends at that step.
        left = ring_schedule((rank - 1) % world, world)
        assert [s[3] for s in steps] == [s[2] for s in left]


def test_schedule_rejects_a_rank_outside_the_world():
    with pytest.raises(ValueError, match=r"rank 3 is not in 0\.\.2"):
        ring_schedule(3, 3)


def test_after_reduce_scatter_rank_r_owns_the_sum_of_chunk_r_plus_1():
    world = 4
    tensors = [torch.randn(10, dtype=torch.float64, generator=torch.Generator().manual_seed(r))
               for r in range(world)]
    total = torch.tensor_split(sum(tensors), world)
    frames = simulate_ring(tensors)[1]
    phase, _, data = frames[world - 2]  # the last reduce-scatter step
    assert phase == "reduce-scatter" and frames[world - 1][0] == "all-gather"
    for rank in range(world):
        owned = (rank + 1) % world
        torch.testing.assert_close(torch.tensor_split(data[rank], world)[owned], total[owned])
        # ...and that is the chunk it sends first in the all-gather.
        assert frames[world - 1][1][rank] == owned


@pytest.mark.parametrize("world,length", [(2, 7), (3, 10), (5, 13), (6, 6)])
def test_simulated_ring_sums_every_rank(world, length):
    g = torch.Generator().manual_seed(world * 100 + length)
    tensors = [torch.randn(length, dtype=torch.float64, generator=g) for _ in range(world)]
    result, _ = simulate_ring(tensors)
    for t in result:
        torch.testing.assert_close(t, sum(tensors), rtol=0, atol=1e-12)


def test_ring_allreduce_equals_dist_all_reduce(launched):
    ranks = launched["ranks"]
    for n in (7, 10, 11):  # none divides evenly by 3, 7 and 11 not by 2
        expected = ranks[0]["ring"][n]["all_reduce"]
        for result in ranks:
            torch.testing.assert_close(result["ring"][n]["ring"], expected, rtol=0, atol=1e-12)
            torch.testing.assert_close(result["ring"][n]["all_reduce"], expected, rtol=0, atol=0)


def test_ring_trace_follows_the_schedule(launched):
    ranks = launched["ranks"]
    world = len(ranks)
    for rank, result in enumerate(ranks):
        trace = result["ring"][10]["trace"]
        assert len(trace) == 2 * (world - 1)
        assert [t[:4] for t in trace] == ring_schedule(rank, world)


def test_bytes_sent_per_rank_match_the_formula(launched):
    ranks = launched["ranks"]
    world = len(ranks)
    for n in (7, 10, 11):
        nbytes = n * 8  # float64
        sizes = [c.numel() * 8 for c in torch.tensor_split(torch.empty(n), world)]
        sent = [sum(t[4] for t in result["ring"][n]["trace"]) for result in ranks]
        for rank, s in enumerate(sent):
            # Every chunk but one in each phase (see the schedule test).
            assert s == 2 * nbytes - sizes[(rank + 1) % world] - sizes[(rank + 2) % world]
            # Within one element per step of 2(N-1)/N of the data.
            steps, formula = ring_cost(world, nbytes)
            assert abs(s - formula) <= steps * 8
        assert sum(sent) == 2 * (world - 1) * nbytes  # exactly, over all ranks


def test_ring_refuses_a_tensor_shorter_than_the_world(launched):
    world = len(launched["ranks"])
    message = launched["ranks"][0]["ring"]["too_short"]
    assert message == f"tensor has {world - 1} elements, fewer than the {world} ranks"

import pytest
import torch
import torch.nn.functional as F

from snippets.spp.paper_bins import adaptive_windows, paper_windows, sweep


def test_seed_examples_give_the_wrong_number_of_bins():
    assert len(paper_windows(10, 6)) == 9  # the paper's own 180-network: conv5 is 10x10
    assert len(paper_windows(7, 4)) == 6


def test_paper_example_13_works():
    assert len(paper_windows(13, 4)) == 4
    assert [len(paper_windows(13, n)) for n in (6, 3, 2, 1)] == [6, 3, 2, 1]


def test_paper_formula_agrees_with_adaptive_exactly_when_a_mod_n_is_0_or_1():
    for n in range(1, 13):
        for a in range(n, 200):
            agrees = paper_windows(a, n) == adaptive_windows(a, n)
            assert agrees == (a % n in (0, 1)), (a, n)


def test_too_many_bins_exactly_when_remainder_exceeds_quotient():
    for n in range(1, 13):
        for a in range(n, 200):
            q, r = divmod(a, n)
            assert (len(paper_windows(a, n)) > n) == (r > q), (a, n)
            assert len(paper_windows(a, n)) >= n


def test_with_n_bins_but_disagreeing_the_last_cells_are_never_pooled():
    for n in range(1, 13):
        for a in range(n, 200):
            wins = paper_windows(a, n)
            if len(wins) == n and wins != adaptive_windows(a, n):
                assert wins[-1][1] == a - (a % n) + 1 < a


def test_sweep_4_to_64_failures_per_level():
    def failures(n):
        return sum(paper_windows(a, n) != adaptive_windows(a, n) for a in range(max(4, n), 65))

    assert [failures(n) for n in (1, 2, 3, 4, 6)] == [0, 0, 20, 30, 39]
    table = sweep()  # the printed sweep counts the same failures
    assert [table[n]["count"] + table[n]["tail"] for n in (1, 2, 3, 4, 6)] == [0, 0, 20, 30, 39]


def test_sweep_table_adds_up_and_agrees_only_on_residues_0_and_1():
    table = sweep()
    for t in table.values():
        assert t["small"] + t["count"] + t["tail"] + t["same"] == 61
        assert t["residues"] <= {0, 1}
    assert [table[n]["count"] + table[n]["tail"] for n in (1, 2, 3, 4, 6)] == [0, 0, 20, 30, 39]
    assert table[6]["small"] == 2  # a = 4, 5


def test_adaptive_windows_match_torch_adaptive_max_pool():
    torch.manual_seed(0)
    for a in range(1, 40):
        for n in range(1, 9):
            x = torch.randn(1, 3, a)
            by_hand = torch.stack([x[..., s:e].amax(-1) for s, e in adaptive_windows(a, n)], -1)
            assert torch.equal(by_hand, F.adaptive_max_pool1d(x, n)), (a, n)


def test_adaptive_windows_always_n_bins_covering_every_cell():
    for a in range(1, 100):
        for n in range(1, 13):
            wins = adaptive_windows(a, n)
            assert len(wins) == n
            assert set().union(*(range(s, e) for s, e in wins)) == set(range(a))


def test_size_smaller_than_level_is_a_clear_error():
    with pytest.raises(ValueError, match="a=4 is smaller than the level n=6"):
        paper_windows(4, 6)
    with pytest.raises(ValueError, match="must both be >= 1"):
        adaptive_windows(0, 3)

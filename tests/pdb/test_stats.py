from snippets.pdb.stats import mean, spread


def test_mean_and_spread_of_a_list():
    assert mean([2, 2, 5]) == 3.0
    assert spread([2, 2, 5]) == 3

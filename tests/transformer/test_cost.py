import pytest

from snippets.transformer.cost import per_layer_cost


@pytest.mark.parametrize("d", [64, 512])
def test_self_attention_is_cheaper_than_recurrence_exactly_when_n_is_below_d(d):
    for n in (d // 4, d // 2, d - 1):
        c = per_layer_cost(n, d)
        assert c["self-attention"]["ops"] < c["recurrent"]["ops"]
    c = per_layer_cost(d, d)
    assert c["self-attention"]["ops"] == c["recurrent"]["ops"]
    c = per_layer_cost(4 * d, d)
    assert c["self-attention"]["ops"] == 4 * c["recurrent"]["ops"]


def test_recurrence_needs_n_sequential_steps_attention_one():
    c = per_layer_cost(100, 8)
    assert c["recurrent"]["sequential"] == 100 and c["self-attention"]["sequential"] == 1
    assert c["recurrent"]["path"] == 100 and c["self-attention"]["path"] == 1


def test_attention_cost_is_quadratic_in_n_and_recurrent_cost_linear():
    a, b = per_layer_cost(100, 32), per_layer_cost(200, 32)
    assert b["self-attention"]["ops"] == 4 * a["self-attention"]["ops"]
    assert b["recurrent"]["ops"] == 2 * a["recurrent"]["ops"]


def test_per_layer_cost_rejects_non_positive_sizes():
    with pytest.raises(ValueError, match="n and d must be positive"):
        per_layer_cost(0, 8)

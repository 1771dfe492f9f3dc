import pytest

from snippets.gradient_checkpointing.budget import activation_bytes, training_state_bytes

LLAMA_7B = {"hidden": 4096, "heads": 32, "layers": 32}


def test_mixed_precision_adam_keeps_16_bytes_per_parameter():
    assert training_state_bytes(1) == 16
    assert training_state_bytes(7e9) == pytest.approx(112e9)


def test_7b_training_state_alone_exceeds_one_80_gb_gpu():
    assert training_state_bytes(7e9) > 80e9


@pytest.mark.parametrize("seq", [512, 1024, 2048])
def test_at_batch_1_and_short_sequences_activations_are_smaller_than_the_state(seq):
    assert activation_bytes(seq, 1, **LLAMA_7B) < training_state_bytes(7e9)


def test_at_long_sequences_activations_overtake_the_state():
    assert activation_bytes(8192, 1, **LLAMA_7B) > training_state_bytes(7e9)


def test_full_recompute_keeps_2_bytes_per_hidden_value_per_layer():
    full = activation_bytes(2048, 1, **LLAMA_7B, recompute="full")
    assert full == 2048 * 4096 * 2 * 32
    none = activation_bytes(2048, 1, **LLAMA_7B)
    assert none / full == pytest.approx((34 + 5 * 32 * 2048 / 4096) / 2)


def test_selective_recompute_drops_exactly_the_attention_score_term():
    s, a = 4096, 32
    diff = activation_bytes(s, 1, **LLAMA_7B) - activation_bytes(s, 1, **LLAMA_7B, recompute="selective")
    assert diff == pytest.approx(32 * 5 * a * s * s)  # per score: QK^T and softmax (2 B each), dropout mask (1 B)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"seq": 0}, "seq must be a positive int"),
    ({"heads": 2.5}, "heads must be a positive int"),
    ({"recompute": "half"}, "recompute must be one of"),
])
def test_activation_bytes_rejects_bad_arguments(kwargs, message):
    args = {"seq": 8, "batch": 1, **LLAMA_7B, **kwargs}
    with pytest.raises(ValueError, match=message):
        activation_bytes(**args)


def test_training_state_rejects_a_non_positive_count():
    with pytest.raises(ValueError, match="n_params must be positive"):
        training_state_bytes(0)

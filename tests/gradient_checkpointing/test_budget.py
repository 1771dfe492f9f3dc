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


def test_at_8192_eager_activations_overtake_the_state_and_flash_ones_do_not():
    state = training_state_bytes(7e9)
    assert activation_bytes(8192, 1, **LLAMA_7B) > state
    assert activation_bytes(8192, 1, **LLAMA_7B, attention="flash") < state


def test_flash_activations_pass_the_state_from_25133_tokens():
    state = training_state_bytes(7e9)
    assert activation_bytes(25132, 1, **LLAMA_7B, attention="flash") < state
    assert activation_bytes(25133, 1, **LLAMA_7B, attention="flash") > state


def test_the_papers_per_layer_constants_34_and_5():
    # s = b = h = a = 1: the bytes per hidden value (34) and per attention score (5).
    one = {"seq": 1, "batch": 1, "hidden": 1, "heads": 1, "layers": 1}
    assert activation_bytes(**one, attention="flash") == 34
    assert activation_bytes(**one) - activation_bytes(**one, attention="flash") == 5
    assert activation_bytes(**one, recompute="full") == 2
    # 16 values and 2 mask entries per hidden unit; 2 values and 1 mask entry per score
    assert activation_bytes(**one, attention="flash", value_bytes=4, mask_bytes=4) == 16 * 4 + 2 * 4
    assert activation_bytes(**one, value_bytes=4, mask_bytes=4) == 16 * 4 + 2 * 4 + 2 * 4 + 4


def test_flash_activations_grow_linearly_and_the_eager_extra_quadratically():
    flash = [activation_bytes(s, 1, **LLAMA_7B, attention="flash") for s in (1024, 2048)]
    extra = [activation_bytes(s, 1, **LLAMA_7B) - activation_bytes(s, 1, **LLAMA_7B, attention="flash")
             for s in (1024, 2048)]
    assert flash[1] == 2 * flash[0]
    assert extra[1] == 4 * extra[0]


def test_selective_recompute_keeps_what_flash_attention_keeps():
    assert (activation_bytes(4096, 1, **LLAMA_7B, recompute="selective")
            == activation_bytes(4096, 1, **LLAMA_7B, attention="flash"))


def test_full_recompute_does_not_depend_on_the_attention_kernel():
    assert (activation_bytes(4096, 1, **LLAMA_7B, recompute="full")
            == activation_bytes(4096, 1, **LLAMA_7B, attention="flash", recompute="full"))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"seq": 0}, "seq must be a positive int"),
    ({"heads": 2.5}, "heads must be a positive int"),
    ({"recompute": "half"}, "recompute must be one of"),
    ({"attention": "sdpa"}, "attention must be 'eager' or 'flash'"),
    ({"mask_bytes": 0}, "mask_bytes must be a positive int"),
    ({"value_bytes": 2.0}, "value_bytes must be a positive int"),
])
def test_activation_bytes_rejects_bad_arguments(kwargs, message):
    args = {"seq": 8, "batch": 1, **LLAMA_7B, **kwargs}
    with pytest.raises(ValueError, match=message):
        activation_bytes(**args)


def test_training_state_rejects_a_non_positive_count():
    with pytest.raises(ValueError, match="n_params must be positive"):
        training_state_bytes(0)

import pytest
import torch
from torch import nn

from snippets.gradient_checkpointing.mlp import LiveBytes, count_forward_calls, make_mlp, saved_bytes

UNIT = 512 * 16 * 4  # one 512x16 float32 tensor


def batch():
    return torch.randn(512, 16, generator=torch.Generator().manual_seed(1))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_blocks": 0}, "n_blocks must be a positive int"),
    ({"width": -3}, "width must be a positive int"),
    ({"activation": "gelu2"}, "activation must be one of"),
])
def test_make_mlp_rejects_bad_arguments_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_mlp(**kwargs)


def test_make_mlp_is_seeded():
    a, b = make_mlp(seed=3), make_mlp(seed=3)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_counter_sees_one_forward_per_block_without_checkpointing():
    model = make_mlp(n_blocks=5)
    calls = count_forward_calls(model)
    model(batch()).sum().backward()
    assert calls == [1] * 5


def test_a_silu_block_saves_its_linear_input_and_its_silu_input():
    block = nn.Sequential(nn.Linear(16, 16), nn.SiLU())
    _, nbytes = saved_bytes(lambda: block(batch()), block)
    assert nbytes == 2 * UNIT


def test_saved_bytes_leaves_out_parameters():
    # Linear saves its input and its weight; only the input is an activation.
    layer = nn.Linear(16, 16)
    _, nbytes = saved_bytes(lambda: layer(batch()), layer)
    assert nbytes == UNIT


def test_plain_18_block_mlp_saves_36_tensors():
    model = make_mlp()
    _, nbytes = saved_bytes(lambda: model(batch()), model)
    assert nbytes == 36 * UNIT


def test_live_bytes_after_forward_are_the_saved_tensors_plus_the_output():
    model = make_mlp()
    x = batch()
    with LiveBytes() as meter:
        out, kept = saved_bytes(lambda: model(x), model)
        after_forward = meter.now
        out.sum().backward()
    # x was made outside the meter (one tensor less), the output is not saved (one more)
    assert after_forward == kept - UNIT + UNIT
    assert meter.peak >= after_forward


def test_live_bytes_counts_a_freed_tensor_out_again():
    with LiveBytes() as meter:
        t = torch.ones(1000)
        assert meter.now == 4000
        del t
    assert meter.now == 0 and meter.peak == 4000

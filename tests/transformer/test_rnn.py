import pytest
import torch
from torch import nn

from snippets.transformer.rnn import input_gradient_norms, make_cell, rnn_forward, run_cell


def test_hand_rnn_recurrence_equals_nn_rnn():
    torch.manual_seed(3)
    rnn = nn.RNN(4, 8, dtype=torch.float64)
    x = torch.randn(9, 3, 4, dtype=torch.float64)
    h0 = torch.randn(1, 3, 8, dtype=torch.float64)
    ours, last = rnn_forward(x, rnn.weight_ih_l0, rnn.weight_hh_l0,
                             rnn.bias_ih_l0 + rnn.bias_hh_l0, h0[0])
    theirs, theirs_last = rnn(x, h0)
    assert torch.allclose(ours, theirs, rtol=0, atol=1e-12)
    assert torch.allclose(last, theirs_last[0], rtol=0, atol=1e-12)


def test_vanilla_rnn_gradient_vanishes_with_distance():
    norms = input_gradient_norms(make_cell("rnn", scale=1.0), [1, 50, 100])
    assert norms[0] > 1 and norms[1] < 1e-5 and norms[2] < 1e-12


def test_vanilla_rnn_gradient_explodes_with_large_recurrent_weights():
    norms = input_gradient_norms(make_cell("rnn", scale=4.0), [1, 50, 100])
    assert norms[2] > 1e10 * norms[0]


def test_lstm_forget_gate_held_open_keeps_the_gradient_alive():
    open_gate = input_gradient_norms(make_cell("lstm", scale=1.0, forget_bias=3.0), [1, 100])
    default = input_gradient_norms(make_cell("lstm", scale=1.0), [1, 100])
    assert open_gate[1] > 0.1 * open_gate[0]
    assert default[1] < 1e-12  # the gate helps only when it stays open


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_gates_do_not_prevent_exploding_gradients(kind):
    norms = input_gradient_norms(make_cell(kind, scale=8.0), [1, 100])
    assert norms[1] > 1e9 * norms[0]


def test_clip_grad_norm_caps_the_norm_and_keeps_the_direction():
    cell = make_cell("lstm", scale=8.0)
    x = torch.randn(100, 1, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    run_cell(cell, x)[-1].sum().backward()
    before = torch.cat([p.grad.flatten() for p in cell.parameters()])
    total = torch.nn.utils.clip_grad_norm_(cell.parameters(), max_norm=1.0)
    after = torch.cat([p.grad.flatten() for p in cell.parameters()])
    assert total > 1e6
    assert after.norm().item() == pytest.approx(1.0, rel=1e-6)
    assert torch.allclose(after, before / before.norm(), rtol=1e-6, atol=0)


def test_make_cell_rejects_bad_arguments():
    with pytest.raises(ValueError, match="kind must be one of"):
        make_cell("transformer")
    with pytest.raises(ValueError, match="forget_bias applies to an LSTM only"):
        make_cell("gru", forget_bias=1.0)

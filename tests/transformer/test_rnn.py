import pytest
import torch
from torch import nn

from snippets.transformer.cells import lstm_cell
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
    norms = input_gradient_norms(make_cell("rnn", scale=2.5), [1, 50, 100])
    assert norms[2] > 1e5 * norms[0]
    assert norms[2] > 100 * norms[1]  # still growing between t=50 and t=100


def test_lstm_forget_gate_held_open_keeps_the_gradient_alive():
    open_gate = input_gradient_norms(make_cell("lstm", scale=1.0, forget_bias=3.0), [1, 100])
    default = input_gradient_norms(make_cell("lstm", scale=1.0), [1, 100])
    assert open_gate[1] > 0.1 * open_gate[0]
    assert default[1] < 1e-12  # the gate helps only when it stays open


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_gates_do_not_prevent_exploding_gradients(kind):
    norms = input_gradient_norms(make_cell(kind, scale=6.0), [1, 100])
    assert norms[1] > 1e5 * norms[0]


def test_clip_grad_norm_caps_the_norm_and_keeps_the_direction():
    cell = make_cell("lstm", scale=6.0)
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


def nudged_by_one_ulp(cell):
    """The same cell with every recurrent weight moved up by one unit in the last place."""
    with torch.no_grad():
        w = cell.weight_hh
        w.copy_(torch.nextafter(w, torch.full_like(w, float("inf"))))
    return cell


@pytest.mark.parametrize("kind, scale", [("rnn", 4.0), ("gru", 8.0)])
def test_exploding_gradients_magnify_rounding_errors(kind, scale):
    # the scales the page leaves out: 100 steps reach 1e14..1e16, and a last-bit change
    # in the weights moves the result in its leading digits, as another CPU's rounding does
    plain = input_gradient_norms(make_cell(kind, scale=scale), [100])[0]
    nudged = input_gradient_norms(nudged_by_one_ulp(make_cell(kind, scale=scale)), [100])[0]
    assert plain > 1e14
    assert abs(nudged - plain) > 0.05 * plain


@pytest.mark.parametrize("kind, scale, bias", [
    ("rnn", 1.0, 0.0), ("rnn", 2.5, 0.0), ("lstm", 1.0, 0.0),
    ("lstm", 1.0, 3.0), ("lstm", 6.0, 0.0), ("gru", 6.0, 0.0)])
def test_the_cases_shown_are_not_moved_by_the_last_bits(kind, scale, bias):
    # the page's table: growth stays under 1e6, and a last-bit nudge moves it by < 1e-6
    distances = [1, 10, 25, 50, 100]
    plain = input_gradient_norms(make_cell(kind, scale=scale, forget_bias=bias), distances)
    nudged = input_gradient_norms(
        nudged_by_one_ulp(make_cell(kind, scale=scale, forget_bias=bias)), distances)
    assert max(plain) < 1e6
    for a, b in zip(plain, nudged, strict=True):
        assert abs(a - b) <= 1e-6 * a


def test_in_float32_the_hand_written_rnn_and_lstm_cell_differ_from_pytorch_by_around_1e_7():
    """The pitfall 'Compare in float64': in float32 the hand-written recurrence and LSTM cell
    differ from PyTorch's in the last bits (float32's epsilon is 1.2e-7), so a tolerance meant
    for float64 would report a correct implementation as wrong."""
    torch.manual_seed(3)
    rnn = nn.RNN(4, 8)
    x, h0 = torch.randn(9, 3, 4), torch.randn(1, 3, 8)
    cell = nn.LSTMCell(6, 7)
    xc, h, c = torch.randn(4, 6), torch.randn(4, 7), torch.randn(4, 7)
    with torch.no_grad():
        ours = rnn_forward(x, rnn.weight_ih_l0, rnn.weight_hh_l0,
                           rnn.bias_ih_l0 + rnn.bias_hh_l0, h0[0])[0]
        rnn_diff = (ours - rnn(x, h0)[0]).abs().max().item()
        cell_diff = (lstm_cell(xc, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih,
                               cell.bias_hh)[1] - cell(xc, (h, c))[1]).abs().max().item()
    for diff in (rnn_diff, cell_diff):
        assert 1e-9 < diff < 1e-6  # around 1e-7: not 0, and far above 1e-12

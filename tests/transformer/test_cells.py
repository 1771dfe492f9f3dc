import pytest
import torch
from torch import nn

from snippets.transformer.cells import gru_cell, gru_cell_cho, lstm_cell


def rand(*shape, gen):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


@pytest.mark.parametrize("seed", range(5))
def test_hand_lstm_cell_equals_nn_lstmcell(seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    cell = nn.LSTMCell(6, 7, dtype=torch.float64)
    x, h, c = rand(4, 6, gen=gen), rand(4, 7, gen=gen), rand(4, 7, gen=gen)
    ours = lstm_cell(x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    theirs = cell(x, (h, c))
    assert torch.allclose(ours[0], theirs[0], rtol=0, atol=1e-12)
    assert torch.allclose(ours[1], theirs[1], rtol=0, atol=1e-12)


def test_lstm_gate_order_is_i_f_g_o():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    cell = nn.LSTMCell(3, 4, dtype=torch.float64)
    x, h, c = rand(2, 3, gen=gen), rand(2, 4, gen=gen), rand(2, 4, gen=gen)
    # Reading the chunks as i, g, f, o instead gives a different cell.
    order = [0, 2, 1, 3]

    def swap(t):
        return torch.cat([t.chunk(4)[i] for i in order])

    wrong = lstm_cell(x, h, c, swap(cell.weight_ih), swap(cell.weight_hh),
                      swap(cell.bias_ih), swap(cell.bias_hh))
    assert not torch.allclose(wrong[1], cell(x, (h, c))[1])


@pytest.mark.parametrize("seed", range(5))
def test_hand_gru_cell_equals_nn_grucell(seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    cell = nn.GRUCell(6, 7, dtype=torch.float64)
    x, h = rand(4, 6, gen=gen), rand(4, 7, gen=gen)
    ours = gru_cell(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    assert torch.allclose(ours, cell(x, h), rtol=0, atol=1e-12)


def test_cho_reset_gate_placement_differs_from_pytorch():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    cell = nn.GRUCell(6, 7, dtype=torch.float64)
    x, h = rand(4, 6, gen=gen), rand(4, 7, gen=gen)
    weights = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    assert not torch.allclose(gru_cell_cho(x, h, *weights), cell(x, h))
    # With the reset gate fully open (r = 1) the two conventions coincide.
    with torch.no_grad():
        cell.bias_ih[:7] = 1e3
    assert torch.allclose(gru_cell_cho(x, h, *weights), cell(x, h), atol=1e-12)

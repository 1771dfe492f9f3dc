"""LSTM and GRU cells written out gate by gate, in PyTorch's weight layout."""

# --8<-- [start:lstm_cell]
import torch


def lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh):
    """One LSTM step. PyTorch stacks the gate weights in the order i, f, g, o."""
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    i, f, g, o = gates.chunk(4, dim=-1)
    i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
    g = torch.tanh(g)
    c_next = f * c + i * g  # the cell state: an additive path through time
    h_next = o * torch.tanh(c_next)
    return h_next, c_next


if __name__ == "__main__":
    from torch import nn

    torch.manual_seed(0)
    cell = nn.LSTMCell(input_size=3, hidden_size=5, dtype=torch.float64)
    x, h, c = (torch.randn(2, n, dtype=torch.float64) for n in (3, 5, 5))
    ours = lstm_cell(x, h, c, cell.weight_ih, cell.weight_hh,
                     cell.bias_ih, cell.bias_hh)
    theirs = cell(x, (h, c))
    print("h equal:", torch.allclose(ours[0], theirs[0], rtol=0, atol=1e-12),
          " c equal:", torch.allclose(ours[1], theirs[1], rtol=0, atol=1e-12))
# --8<-- [end:lstm_cell]


# --8<-- [start:gru_cell]
import torch


def gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    """One GRU step in PyTorch's convention (gate order r, z, n)."""
    xr, xz, xn = (x @ w_ih.T + b_ih).chunk(3, dim=-1)
    hr, hz, hn = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(xr + hr)  # reset gate
    z = torch.sigmoid(xz + hz)  # update gate
    n = torch.tanh(xn + r * hn)  # r multiplies (W_hn h + b_hn), bias included
    return (1 - z) * n + z * h


def gru_cell_cho(x, h, w_ih, w_hh, b_ih, b_hh):
    """Cho et al. (2014): the reset gate acts on h before the product."""
    xr, xz, xn = (x @ w_ih.T + b_ih).chunk(3, dim=-1)
    w_hr, w_hz, w_hn = w_hh.chunk(3, dim=0)
    b_hr, b_hz, b_hn = b_hh.chunk(3)
    r = torch.sigmoid(xr + h @ w_hr.T + b_hr)
    z = torch.sigmoid(xz + h @ w_hz.T + b_hz)
    n = torch.tanh(xn + (r * h) @ w_hn.T + b_hn)
    return (1 - z) * n + z * h


if __name__ == "__main__":
    from torch import nn

    torch.manual_seed(0)
    cell = nn.GRUCell(input_size=3, hidden_size=5, dtype=torch.float64)
    x = torch.randn(2, 3, dtype=torch.float64)
    h = torch.randn(2, 5, dtype=torch.float64)
    weights = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    theirs = cell(x, h)
    print("PyTorch convention equals nn.GRUCell:",
          torch.allclose(gru_cell(x, h, *weights), theirs, rtol=0, atol=1e-12))
    print("Cho et al. variant equals nn.GRUCell:",
          torch.allclose(gru_cell_cho(x, h, *weights), theirs, rtol=0, atol=1e-12))
# --8<-- [end:gru_cell]

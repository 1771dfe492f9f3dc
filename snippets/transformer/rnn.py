"""The RNN recurrence, and what happens to gradients over long distances."""

# --8<-- [start:rnn_recurrence]
import torch
from torch import nn


def rnn_forward(x, w_xh, w_hh, b, h0):
    """h_t = tanh(W_xh x_t + W_hh h_(t-1) + b), one time step after another.

    x: (seq, batch, input). Returns (all h_t, last h)."""
    h, outputs = h0, []
    for x_t in x:  # step t cannot start before step t-1 has finished
        h = torch.tanh(x_t @ w_xh.T + h @ w_hh.T + b)
        outputs.append(h)
    return torch.stack(outputs), h


if __name__ == "__main__":
    torch.manual_seed(0)
    rnn = nn.RNN(input_size=4, hidden_size=8, dtype=torch.float64)
    x = torch.randn(5, 2, 4, dtype=torch.float64)  # 5 steps, batch 2
    h0 = torch.zeros(1, 2, 8, dtype=torch.float64)
    ours, h_last = rnn_forward(x, rnn.weight_ih_l0, rnn.weight_hh_l0,
                               rnn.bias_ih_l0 + rnn.bias_hh_l0, h0[0])
    theirs, _ = rnn(x, h0)
    # not bit for bit: nn.RNN adds its two biases separately, in another order
    print("outputs:", tuple(ours.shape), " equal to nn.RNN within 1e-12:",
          torch.allclose(ours, theirs, rtol=0, atol=1e-12))
# --8<-- [end:rnn_recurrence]


# --8<-- [start:gradient_over_distance]
import torch
from torch import nn

CELLS = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}


def make_cell(kind, hidden=32, scale=1.0, forget_bias=0.0, seed=0):
    """A float64 cell whose recurrent weights have entries N(0, scale^2/hidden)."""
    if kind not in CELLS:
        raise ValueError(f"kind must be one of {sorted(CELLS)}, got {kind!r}")
    torch.manual_seed(seed)
    cell = CELLS[kind](hidden, hidden, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_hh.normal_(0.0, scale / hidden ** 0.5)
        if forget_bias:
            if kind != "lstm":
                raise ValueError("forget_bias applies to an LSTM only")
            cell.bias_ih[hidden:2 * hidden] += forget_bias  # gate order i,f,g,o
    return cell


def run_cell(cell, x):
    """Run a cell over x (seq, batch, hidden); return the hidden states."""
    h = torch.zeros(x.shape[1], cell.hidden_size, dtype=x.dtype)
    c = torch.zeros_like(h)
    states = []
    for x_t in x:
        if isinstance(cell, nn.LSTMCell):
            h, c = cell(x_t, (h, c))
        else:
            h = cell(x_t, h)
        states.append(h)
    return states


def input_gradient_norms(cell, distances, seed=1):
    """||d h_t / d x_1|| (through sum(h_t)) for each t in distances."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(max(distances), 1, cell.hidden_size, generator=gen,
                    dtype=torch.float64).requires_grad_()
    states = run_cell(cell, x)
    norms = []
    for t in distances:
        (grad,) = torch.autograd.grad(states[t - 1].sum(), x, retain_graph=True)
        norms.append(grad[0].norm().item())
    return norms


if __name__ == "__main__":
    distances = [1, 10, 25, 50, 100]
    # (cell, scale, forget bias): scales 2.5 and 6 explode, yet little enough that
    # the rounding of the last bits, which they amplify too, stays out of the table
    cases = [("rnn", 1.0, 0.0), ("rnn", 2.5, 0.0), ("lstm", 1.0, 0.0),
             ("lstm", 1.0, 3.0), ("lstm", 6.0, 0.0), ("gru", 6.0, 0.0)]
    print("cell  scale  forget bias  " + "".join(f"t={t:<7}" for t in distances))
    for kind, scale, bias in cases:
        norms = input_gradient_norms(make_cell(kind, scale=scale,
                                               forget_bias=bias), distances)
        print(f"{kind:4}  {scale:5}  {bias:11}  "
              + "".join(f"{n:<9.1e}" for n in norms))
# --8<-- [end:gradient_over_distance]


# needs: gradient_over_distance
# --8<-- [start:gradient_clipping]
import torch

if __name__ == "__main__":
    cell = make_cell("lstm", scale=6.0)  # an LSTM whose gradients explode
    x = torch.randn(100, 1, 32, dtype=torch.float64,
                    generator=torch.Generator().manual_seed(1))
    x.requires_grad_()
    run_cell(cell, x)[-1].sum().backward()
    grads = [p.grad.clone() for p in cell.parameters()] + [x.grad.clone()]
    before = torch.nn.utils.clip_grad_norm_(list(cell.parameters()) + [x],
                                            max_norm=1.0)
    after = torch.cat([p.grad.flatten() for p in cell.parameters()]
                      + [x.grad.flatten()])
    cosine = torch.nn.functional.cosine_similarity(
        torch.cat([g.flatten() for g in grads]), after, dim=0)
    print(f"gradient norm before clipping: {before:.2e}")
    print(f"after clip_grad_norm_(max_norm=1.0): {after.norm():.4f}")
    print(f"direction kept (cosine): {cosine:.4f}")
# --8<-- [end:gradient_clipping]

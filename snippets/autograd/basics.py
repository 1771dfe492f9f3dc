"""Leaf tensors, grad_fn and .grad; a graph recorded as the code runs; autograd vs a hand-derived gradient."""

# --8<-- [start:variable_is_a_tensor]
import textwrap
import warnings

import torch
from torch.autograd import Variable  # still importable, for old code only

raw = torch.tensor([1.0, 2.0])
wrapped = Variable(raw, requires_grad=True)  # the pre-0.4 spelling
print(type(wrapped).__name__, wrapped.requires_grad)
with warnings.catch_warnings(record=True) as legacy_warnings:
    warnings.simplefilter("always")
    frozen = Variable(raw, volatile=True)  # the pre-0.4 "autograd off"
print(textwrap.fill(f"warning: {legacy_warnings[0].message}", 76,
                    subsequent_indent="  "))
# volatile no longer switches anything off:
print("still recorded:", (frozen * wrapped).requires_grad)
# --8<-- [end:variable_is_a_tensor]


# --8<-- [start:leaf_tensors]
import textwrap
import warnings

import torch

w = torch.tensor([1.5, -0.5], requires_grad=True)  # a leaf we want .grad of
x = torch.tensor([2.0, 4.0])  # data: also a leaf, no gradient wanted
z = w * x  # recorded: z.grad_fn is the MulBackward0 node
loss = z.exp().sum()  # a scalar

for name, t in [("w", w), ("x", x), ("z", z), ("loss", loss)]:
    node = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"{name:<4} is_leaf={t.is_leaf!s:<5} "
          f"requires_grad={t.requires_grad!s:<5} grad_fn={node}")

loss.backward()
print("w.grad =", [round(g, 4) for g in w.grad.tolist()])  # x * exp(w x)
print("x.grad =", x.grad)  # x asked for no gradient
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("z.grad =", z.grad)  # not a leaf: used, then dropped
message = "warning: " + str(caught[0].message).split(". ")[0]
print(textwrap.fill(message, 76, subsequent_indent="  "))
# --8<-- [end:leaf_tensors]


# --8<-- [start:retain_grad]
import torch

w_kept = torch.tensor([1.5, -0.5], requires_grad=True)
x_kept = torch.tensor([2.0, 4.0])
z_kept = w_kept * x_kept
z_kept.retain_grad()  # keep the gradient of this non-leaf
z_kept.exp().sum().backward()


def show(label, t):
    print(f"{label:<10} =", [round(v, 4) for v in t.tolist()])


show("z.grad", z_kept.grad)  # d loss / dz = exp(z)
show("z.grad * x", z_kept.grad * x_kept)  # chain rule, by hand
show("w.grad", w_kept.grad)
# --8<-- [end:retain_grad]


# --8<-- [start:define_by_run]
import itertools

import torch


def shrink(t):
    """Halve t until no entry exceeds 1 in size.

    How many halvings that takes depends on the values.
    """
    if not torch.isfinite(t).all():
        raise ValueError("shrink() needs finite values: inf never shrinks")
    halvings = 0
    while t.abs().max() > 1:
        t = t / 2
        halvings += 1
    return t, halvings


def chain(root):
    """Node names from root to a leaf, following each node's first input.

    A run of k equal names is written 'k x Name'.
    """
    names = []
    while root is not None:
        names.append(type(root).__name__)
        nxt = root.next_functions
        root = nxt[0][0] if nxt else None
    runs = [(n, len(list(g))) for n, g in itertools.groupby(names)]
    return " -> ".join(n if k == 1 else f"{k} x {n}" for n, k in runs)


for start in (0.8, 3.0, 40.0):
    s = torch.tensor([start, -0.5], requires_grad=True)
    shrunk, halvings = shrink(s)
    total = shrunk.sum()
    total.backward()
    print(f"start={start:>4}: {halvings} halvings, "
          f"d total/d s[0] = {s.grad[0].item():.6f}")
    print("   graph:", chain(total.grad_fn))
# --8<-- [end:define_by_run]


# --8<-- [start:analytic_gradient]
import torch
from torch.nn.functional import softplus


def logistic_loss(X, y, weight, bias):
    """Mean of log(1 + exp(-y * (X @ weight + bias))); labels are +1/-1."""
    margin = y * (X @ weight + bias)
    return softplus(-margin).mean()


def logistic_loss_gradient(X, y, weight, bias):
    """The gradient by hand: dL/dm = -sigmoid(-m) / n, then dm/dw, dm/db."""
    margin = y * (X @ weight + bias)
    dmargin = -torch.sigmoid(-margin) / len(y)
    return X.T @ (dmargin * y), (dmargin * y).sum()


gen = torch.Generator().manual_seed(9)
X = torch.randn(8, 3, generator=gen, dtype=torch.float64)
y = torch.where(torch.rand(8, generator=gen) < 0.5, -1.0, 1.0).double()
weight = torch.randn(3, generator=gen, dtype=torch.float64,
                     requires_grad=True)
bias = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)

logistic_loss(X, y, weight, bias).backward()
hand_w, hand_b = logistic_loss_gradient(X, y, weight.detach(),
                                        bias.detach())
print("autograd dL/dw:", [round(g, 6) for g in weight.grad.tolist()],
      f"dL/db: {bias.grad.item():.6f}")
print("by hand  dL/dw:", [round(g, 6) for g in hand_w.tolist()],
      f"dL/db: {hand_b.item():.6f}")
same_w = torch.allclose(weight.grad, hand_w, rtol=0, atol=1e-12)
same_b = abs(bias.grad.item() - hand_b.item()) < 1e-12
print("equal to 1e-12:", same_w and same_b)
# --8<-- [end:analytic_gradient]

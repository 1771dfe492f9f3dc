"""backward() of a non-scalar is a vector-Jacobian product; torch.autograd.grad returns gradients."""

# --8<-- [start:vector_jacobian_product]
import torch
from torch.autograd.functional import jacobian


def spiral(p):
    """R^3 -> R^3, a small nonlinear map to differentiate."""
    return torch.stack([p[0] * p[1], p[1].sin() + p[2] ** 2,
                        p.exp().sum()])


p = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
out = spiral(p)
try:
    out.backward()  # 3 outputs: which scalar should be differentiated?
except RuntimeError as err:
    print("RuntimeError:", err)

v = torch.tensor([1.0, 2.0, -0.5])
out.backward(gradient=v)  # the gradient of the scalar v . out

J = jacobian(spiral, p.detach())  # 3 x 3, J[i, j] = d out_i / d p_j
print("J =")
for row in J.tolist():
    print("   ", " ".join(f"{value:8.4f}" for value in row))
print("J^T v  =", [round(g, 4) for g in (J.T @ v).tolist()])
print("p.grad =", [round(g, 4) for g in p.grad.tolist()])
print("equal:", torch.allclose(p.grad, J.T @ v))
# --8<-- [end:vector_jacobian_product]


# --8<-- [start:autograd_grad]
import math

import torch

a = 0.7
t = torch.tensor(a, requires_grad=True)
f = t**3 * torch.sin(t)
# create_graph=True: the returned df is itself differentiable
(df,) = torch.autograd.grad(f, t, create_graph=True)
(d2f,) = torch.autograd.grad(df, t)

df_hand = 3 * a**2 * math.sin(a) + a**3 * math.cos(a)
d2f_hand = (6 * a * math.sin(a) + 6 * a**2 * math.cos(a)
            - a**3 * math.sin(a))
print(f"f'(0.7)  autograd {df.item():.6f}  by hand {df_hand:.6f}")
print(f"f''(0.7) autograd {d2f.item():.6f}  by hand {d2f_hand:.6f}")
print("t.grad =", t.grad)  # autograd.grad leaves .grad alone
# --8<-- [end:autograd_grad]

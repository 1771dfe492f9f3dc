"""Forward mode against reverse mode: the same Jacobian from n JVPs or from m VJPs."""

# --8<-- [start:two_modes]
import torch
from torch.func import jacfwd, jacrev, jvp, vjp


def mlp(n_in, n_out, hidden=64, seed=0, dtype=torch.float64):
    """f: R^n_in -> R^n_out, x -> W2 tanh(W1 x), with fixed random weights.
    f.calls counts how many times f itself runs."""
    if min(n_in, n_out, hidden) < 1:
        raise ValueError(f"sizes must be >= 1, got n_in={n_in}, n_out={n_out}, "
                         f"hidden={hidden}")
    gen = torch.Generator().manual_seed(seed)
    W1 = torch.randn(hidden, n_in, generator=gen, dtype=dtype) / n_in**0.5
    W2 = torch.randn(n_out, hidden, generator=gen, dtype=dtype) / hidden**0.5

    def f(x):
        f.calls += 1
        return W2 @ torch.tanh(W1 @ x)

    f.calls = 0
    return f


def _check_vector(x):
    if x.dim() != 1:
        raise ValueError(f"x must be a vector (a 1-D tensor), got shape {tuple(x.shape)}")


def jacobian_by_jvps(f, x):
    """Forward mode: column j of J is the JVP J e_j, one pass per input."""
    _check_vector(x)
    basis = torch.eye(x.numel(), dtype=x.dtype)
    return torch.stack([jvp(f, (x,), (e,))[1] for e in basis], dim=1)


def jacobian_by_vjps(f, x):
    """Reverse mode: one forward pass, then row i of J is the VJP e_i^T J."""
    _check_vector(x)
    y, pullback = vjp(f, x)  # runs f once and keeps what backward needs
    basis = torch.eye(y.numel(), dtype=y.dtype)
    return torch.stack([pullback(e)[0] for e in basis])


# --8<-- [end:two_modes]


# needs: two_modes
# --8<-- [start:same_jacobian]
if __name__ == "__main__":
    gen = torch.Generator().manual_seed(1)
    for name, (n, m) in {"wide": (1000, 4), "tall": (4, 1000)}.items():
        f = mlp(n, m)
        x = torch.randn(n, generator=gen, dtype=torch.float64)
        jacobians, calls = {}, {}
        for how, jac in {"n JVPs": jacobian_by_jvps, "m VJPs": jacobian_by_vjps,
                         "jacfwd": lambda f, x: jacfwd(f)(x),
                         "jacrev": lambda f, x: jacrev(f)(x)}.items():
            f.calls = 0
            jacobians[how] = jac(f, x)
            calls[how] = f.calls
        J = jacobians["m VJPs"]
        agree = all(torch.allclose(other, J, rtol=0, atol=1e-14)
                    for other in jacobians.values())
        print(f"{name}: f maps R^{n} -> R^{m}, J is {tuple(J.shape)}")
        print("  calls of f:", ", ".join(f"{how} {c}" for how, c in calls.items()))
        print("  all four Jacobians agree to 1e-14:", agree)
# --8<-- [end:same_jacobian]


# needs: two_modes
# --8<-- [start:what_each_mode_keeps]
import torch.autograd.forward_ad as fwAD
from torch.autograd.graph import saved_tensors_hooks

if __name__ == "__main__":
    f = mlp(1000, 4)
    x = torch.randn(1000, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    v = torch.zeros(1000, dtype=torch.float64)
    v[0] = 1.0  # the direction e_0: J v is the first column of J
    saved = []

    def pack(t):  # autograd calls this for every tensor it saves for backward
        saved.append(tuple(t.shape))
        return t

    with saved_tensors_hooks(pack, lambda t: t):
        with fwAD.dual_level():  # forward mode: every value carries its tangent
            y, Jv = fwAD.unpack_dual(f(fwAD.make_dual(x, v)))
        print("forward mode, J v =", [round(t, 4) for t in Jv.tolist()])
        print("  tensors saved for a backward pass:", saved)
        saved.clear()
        x_leaf = x.clone().requires_grad_()
        y = f(x_leaf)  # reverse mode: the forward pass records the graph
        print("reverse mode, tensors saved by the forward pass:", saved)
        u = torch.tensor([1.0, 0.0, 0.0, 0.0], dtype=torch.float64)
        (uJ,) = torch.autograd.grad(y, x_leaf, u)  # u^T J: the first row of J
        print("  u^T J has", uJ.numel(), "entries, first three:",
              [round(t, 4) for t in uJ[:3].tolist()])
# --8<-- [end:what_each_mode_keeps]

import math

import pytest
import torch
from torch.autograd.functional import jacobian

from snippets.autograd import vjp
from snippets.autograd.vjp import spiral


def test_backward_of_a_non_scalar_needs_gradient():
    out = spiral(torch.tensor([0.5, -1.0, 2.0], requires_grad=True))
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        out.backward()


def test_the_page_example_gives_j_transpose_v():
    assert torch.allclose(vjp.p.grad, vjp.J.T @ vjp.v)


@pytest.mark.parametrize("seed", range(4))
def test_backward_with_gradient_equals_j_transpose_v(seed):
    gen = torch.Generator().manual_seed(seed)
    point = torch.randn(3, generator=gen, dtype=torch.float64, requires_grad=True)
    weights = torch.randn(3, generator=gen, dtype=torch.float64)
    spiral(point).backward(gradient=weights)
    J = jacobian(spiral, point.detach())
    assert torch.allclose(point.grad, J.T @ weights, rtol=0, atol=1e-12)
    # the same number is the gradient of the scalar weights . spiral(point)
    (grad_of_dot,) = torch.autograd.grad((weights * spiral(point)).sum(), point)
    assert torch.allclose(point.grad, grad_of_dot, rtol=0, atol=1e-12)


@pytest.mark.parametrize("a", [-1.3, 0.2, 0.7, 2.5])
def test_autograd_grad_gives_first_and_second_derivatives(a):
    t = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    (df,) = torch.autograd.grad(t**3 * torch.sin(t), t, create_graph=True)
    (d2f,) = torch.autograd.grad(df, t)
    assert df.item() == pytest.approx(3 * a**2 * math.sin(a) + a**3 * math.cos(a), abs=1e-12)
    assert d2f.item() == pytest.approx(
        6 * a * math.sin(a) + 6 * a**2 * math.cos(a) - a**3 * math.sin(a), abs=1e-12)
    assert t.grad is None


def test_the_page_example_of_autograd_grad_leaves_grad_alone():
    assert vjp.t.grad is None
    assert vjp.df.item() == pytest.approx(vjp.df_hand, rel=1e-6)
    assert vjp.d2f.item() == pytest.approx(vjp.d2f_hand, rel=1e-6)


def test_autograd_grad_differentiates_with_respect_to_a_non_leaf():
    p = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    middle = p * 3  # not a leaf
    out = spiral(middle).sum()
    (by_grad,) = torch.autograd.grad(out, middle)
    J = jacobian(spiral, middle.detach())
    assert torch.allclose(by_grad, J.sum(0))
    assert p.grad is None and not middle.is_leaf

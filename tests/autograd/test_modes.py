from pathlib import Path

import pytest
import torch
from torch.func import jacfwd, jacrev

from snippets.autograd import modes
from snippets.autograd.modes import jacobian_by_jvps, jacobian_by_vjps, mlp

SHAPES = {"wide": (300, 4), "tall": (4, 300)}  # the page uses 1000; the counts do not depend on it


def point(n, seed=1):
    return torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


@pytest.mark.parametrize("shape", SHAPES)
def test_jvps_vjps_jacfwd_and_jacrev_give_the_same_jacobian_to_1e_14_in_float64(shape):
    n, m = SHAPES[shape]
    f, x = mlp(n, m), point(n)
    J = jacobian_by_vjps(f, x)
    assert J.shape == (m, n)
    for other in (jacobian_by_jvps(f, x), jacfwd(f)(x), jacrev(f)(x)):
        assert torch.allclose(other, J, rtol=0, atol=1e-14)
    # and it is the right Jacobian: W2 diag(1 - tanh^2(W1 x)) W1, written out
    gen = torch.Generator().manual_seed(0)  # mlp's weights, drawn again in the same order
    W1 = torch.randn(64, n, generator=gen, dtype=torch.float64) / n**0.5
    W2 = torch.randn(m, 64, generator=gen, dtype=torch.float64) / 64**0.5
    s = 1 - torch.tanh(W1 @ x) ** 2
    assert torch.allclose(J, W2 @ (s[:, None] * W1), rtol=0, atol=1e-14)


@pytest.mark.parametrize("shape", SHAPES)
def test_forward_mode_runs_f_once_per_input_reverse_mode_once_in_all(shape):
    n, m = SHAPES[shape]
    f, x = mlp(n, m), point(n)
    jacobian_by_jvps(f, x)
    assert f.calls == n
    f.calls = 0
    jacobian_by_vjps(f, x)
    assert f.calls == 1
    for transform in (jacfwd, jacrev):  # vmap batches the n (m) directions into one call
        f.calls = 0
        transform(f)(x)
        assert f.calls == 1


@pytest.mark.parametrize("shape", SHAPES)
def test_reverse_mode_calls_the_pullback_once_per_output(shape, monkeypatch):
    n, m = SHAPES[shape]
    pulls = []
    real_vjp = modes.vjp

    def counting_vjp(f, x):
        y, pullback = real_vjp(f, x)
        return y, lambda v: (pulls.append(1), pullback(v))[1]

    monkeypatch.setattr(modes, "vjp", counting_vjp)
    jacobian_by_vjps(mlp(n, m), point(n))
    assert len(pulls) == m


def test_forward_mode_saves_nothing_reverse_mode_saves_w1_tanh_output_and_w2():
    f, x = mlp(1000, 4), point(1000)
    v = torch.zeros(1000, dtype=torch.float64)
    v[0] = 1.0
    saved = []

    def pack(t):
        saved.append(tuple(t.shape))
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        with torch.autograd.forward_ad.dual_level():
            dual = f(torch.autograd.forward_ad.make_dual(x, v))
            _, Jv = torch.autograd.forward_ad.unpack_dual(dual)
        assert saved == []
        x_leaf = x.clone().requires_grad_()
        f(x_leaf)
    assert saved == [(64, 1000), (64,), (4, 64)]
    assert torch.allclose(Jv, jacrev(f)(x)[:, 0], rtol=0, atol=1e-14)  # J e_0, first column


def test_the_page_block_prints_agreement_and_the_pass_counts():
    out = Path(modes.__file__).parent / "outputs" / "modes.same_jacobian.txt"
    text = out.read_text()
    assert text.count("all four Jacobians agree to 1e-14: True") == 2
    assert "n JVPs 1000, m VJPs 1, jacfwd 1, jacrev 1" in text
    assert "n JVPs 4, m VJPs 1, jacfwd 1, jacrev 1" in text


@pytest.mark.parametrize("bad", [torch.zeros(2, 3), torch.tensor(1.0)])
def test_jacobian_helpers_reject_a_non_vector_naming_its_shape(bad):
    f = mlp(3, 2)
    for helper in (jacobian_by_jvps, jacobian_by_vjps):
        with pytest.raises(ValueError, match=r"x must be a vector \(a 1-D tensor\), got shape"):
            helper(f, bad)


def test_mlp_rejects_an_empty_size():
    with pytest.raises(ValueError, match="sizes must be >= 1, got n_in=0"):
        mlp(0, 4)

import torch

from snippets.autograd.forgetting import fit_line


def test_training_converges_only_when_grad_is_cleared():
    with_zero, without_zero = fit_line(40, zero_grad=True), fit_line(40, zero_grad=False)
    assert with_zero[0] == without_zero[0]  # same start
    assert max(with_zero[-10:]) < 0.05
    assert max(without_zero[-10:]) > 0.5  # still swinging after 40 steps
    assert all(b < a for a, b in zip(with_zero, with_zero[1:], strict=False))


def test_without_zero_grad_grad_is_the_sum_of_every_gradient_so_far():
    torch.manual_seed(0)
    line = torch.nn.Linear(1, 1)
    xs = torch.linspace(-1, 1, 16).unsqueeze(1)
    total = torch.zeros(1)
    for _ in range(5):
        loss = torch.nn.functional.mse_loss(line(xs), 2 * xs + 1)
        (step_grad,) = torch.autograd.grad(loss, line.bias, retain_graph=True)
        total += step_grad
        loss.backward()
        assert torch.allclose(line.bias.grad, total, atol=1e-6)
        with torch.no_grad():
            for param in line.parameters():
                param -= 0.1 * param.grad


def test_an_update_outside_no_grad_is_refused():
    import pytest

    w = torch.ones(2, requires_grad=True)
    (w * 2).sum().backward()
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place"):
        w -= 0.1 * w.grad
    with torch.no_grad():
        w -= 0.1 * w.grad
    assert torch.allclose(w, torch.full((2,), 0.8))

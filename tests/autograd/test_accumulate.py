import copy

import pytest
import torch

from snippets.autograd import accumulate


def test_a_second_backward_doubles_grad():
    assert torch.equal(accumulate.w.grad, 2 * accumulate.first)
    # and independently: k passes over a retained graph give k times the gradient
    w = torch.tensor([0.9, -0.1, 2.0], requires_grad=True)
    loss = (w * w.sin()).sum()
    for _ in range(3):
        loss.backward(retain_graph=True)
    assert torch.allclose(w.grad, 3 * (w.sin() + w * w.cos()).detach())


def test_a_second_backward_needs_retain_graph():
    w = torch.tensor([0.3, -1.2], requires_grad=True)
    loss = (w * w.sin()).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


def test_zero_grad_sets_none_by_default_and_zeros_on_request():
    layer = torch.nn.Linear(3, 1)
    layer(torch.ones(2, 3)).sum().backward()
    assert layer.bias.grad is not None
    layer.zero_grad()
    assert layer.bias.grad is None and layer.weight.grad is None
    layer(torch.ones(2, 3)).sum().backward()
    layer.zero_grad(set_to_none=False)
    assert torch.equal(layer.bias.grad, torch.zeros(1))


def test_scaled_micro_batches_accumulate_to_the_full_batch_gradient():
    full = accumulate.full
    assert all(torch.allclose(a, f, rtol=0, atol=1e-6)
               for a, f in zip(accumulate.accumulated, full, strict=True))
    # without the 1/3 scaling the accumulated gradient is three times too large
    model = copy.deepcopy(accumulate.model)
    model.zero_grad()
    for part_x, part_y in zip(accumulate.features.split(4), accumulate.labels.split(4), strict=True):
        accumulate.mse_loss(model(part_x), part_y).backward()
    assert torch.allclose(model.bias.grad, 3 * full[1], atol=1e-6)

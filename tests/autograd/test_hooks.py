import copy

import pytest
import torch
from torch import nn

from snippets.autograd import hooks


def test_the_page_example_clips_the_gradient_flowing_to_x():
    assert hooks.seen[0].tolist() == [3.0, -12.0, 9.0]  # 2h, what arrived at h
    assert hooks.x.grad.tolist() == [9.0, -36.0, 27.0]  # after remove(): 3 * 2h again
    assert len(hooks.seen) == 1  # the removed hook did not run on the second backward


@pytest.mark.parametrize("retain_first", [True, False])
def test_retain_grad_keeps_the_gradient_after_the_hooks_whatever_the_order(retain_first):
    x = torch.tensor([0.5, -2.0, 1.5], requires_grad=True)
    h = 3 * x
    if retain_first:
        h.retain_grad()
    h.register_hook(lambda g: g.clamp(-2.0, 2.0))
    if not retain_first:
        h.retain_grad()
    (h**2).sum().backward()
    assert h.grad.tolist() == [2.0, -2.0, 2.0]
    assert torch.equal(x.grad, 3 * h.grad)  # what reached x is the replaced gradient


def test_a_hook_that_returns_none_only_observes():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    seen = []
    h.register_hook(lambda g: seen.append(g.clone()))  # returns None
    h.sum().backward()
    assert seen[0].tolist() == [1.0, 1.0] and x.grad.tolist() == [2.0, 4.0]


def test_a_hook_can_zero_part_of_a_gradient():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = 2 * x
    h.register_hook(lambda g: g * torch.tensor([1.0, 0.0, 1.0]))
    (h**2).sum().backward()
    assert x.grad.tolist() == [8.0, 0.0, 24.0]


def test_post_accumulate_grad_hook_refuses_a_non_leaf():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="post accumulate grad hook"):
        (2 * x).register_post_accumulate_grad_hook(lambda p: None)


def test_optimizer_in_backward_gives_the_same_weights_as_optimizer_step_exactly():
    assert all(torch.equal(a, b) for a, b in zip(hooks.model.parameters(),
                                                 hooks.twin.parameters(), strict=True))


def test_optimizer_in_backward_leaves_no_grad_and_really_trains():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
    start = copy.deepcopy(model)
    grads_seen = []

    def step(p):
        grads_seen.append(p.grad is not None and not torch.is_grad_enabled())  # under no_grad
        p.add_(p.grad, alpha=-0.1)
        p.grad = None

    handles = [p.register_post_accumulate_grad_hook(step) for p in model.parameters()]
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(32, 8, generator=gen), torch.randn(32, 1, generator=gen)
    losses = []
    for _ in range(5):
        loss = nn.functional.mse_loss(model(x), y)
        losses.append(loss.item())
        loss.backward()
        assert all(p.grad is None for p in model.parameters())
    assert all(grads_seen) and len(grads_seen) == 5 * 4  # once per parameter per backward
    assert losses[-1] < losses[0]
    assert not any(torch.equal(a, b) for a, b in zip(model.parameters(), start.parameters(),
                                                     strict=True))
    for handle in handles:
        handle.remove()
    before = [p.detach().clone() for p in model.parameters()]
    nn.functional.mse_loss(model(x), y).backward()
    assert all(p.grad is not None for p in model.parameters())  # no hook: .grad filled
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))

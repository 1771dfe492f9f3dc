import math

import pytest
import torch

from snippets.autograd import basics


def test_leaf_and_non_leaf_tensors_are_told_apart_by_grad_fn():
    assert basics.w.is_leaf and basics.w.grad_fn is None and basics.w.requires_grad
    assert basics.x.is_leaf and not basics.x.requires_grad  # no gradient wanted: still a leaf
    assert not basics.z.is_leaf and type(basics.z.grad_fn).__name__ == "MulBackward0"
    assert type(basics.loss.grad_fn).__name__ == "SumBackward0"


def test_backward_fills_grad_of_leaves_that_require_grad_only():
    assert torch.allclose(basics.w.grad, basics.x * torch.exp(basics.w.detach() * basics.x))
    assert basics.x.grad is None


def test_grad_of_a_non_leaf_is_none_and_reading_it_warns():
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert basics.z.grad is None


def test_retain_grad_keeps_a_non_leaf_gradient_and_the_chain_rule_holds():
    assert torch.allclose(basics.z_kept.grad, basics.z_kept.detach().exp())
    assert torch.equal(basics.w_kept.grad, basics.z_kept.grad * basics.x_kept)  # "exactly"


@pytest.mark.parametrize("start", [0.3, 0.9, 1.5, 3.0, 7.9, 40.0, 1000.0])
def test_graph_is_built_by_running_the_code_so_it_follows_the_loop(start):
    s = torch.tensor([start, -0.5], requires_grad=True)
    shrunk, halvings = basics.shrink(s)
    expected = max(0, math.ceil(math.log2(start)))  # halvings until start / 2**k <= 1
    assert halvings == expected
    total = shrunk.sum()
    total.backward()
    assert s.grad[0].item() == 2.0**-expected
    divisions = basics.chain(total.grad_fn)
    assert ("DivBackward0" in divisions) == (expected > 0)
    if expected > 1:
        assert f"{expected} x DivBackward0" in divisions


def test_shrink_refuses_values_that_would_loop_forever():
    with pytest.raises(ValueError, match="shrink.. needs finite values"):
        basics.shrink(torch.tensor([1.0, float("inf")]))


@pytest.mark.parametrize("seed", range(5))
def test_autograd_equals_the_hand_derived_logistic_gradient(seed):
    gen = torch.Generator().manual_seed(seed)
    n, d = 6 + seed, 2 + seed
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)
    y = torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0).double()
    weight = torch.randn(d, generator=gen, dtype=torch.float64, requires_grad=True)
    bias = torch.randn((), generator=gen, dtype=torch.float64, requires_grad=True)
    basics.logistic_loss(X, y, weight, bias).backward()
    hand_w, hand_b = basics.logistic_loss_gradient(X, y, weight.detach(), bias.detach())
    assert torch.allclose(weight.grad, hand_w, rtol=0, atol=1e-12)
    assert abs(bias.grad.item() - hand_b.item()) < 1e-12


def test_the_page_example_agrees_with_the_hand_gradient():
    hand_w, hand_b = basics.hand_w, basics.hand_b
    assert torch.allclose(basics.weight.grad, hand_w, rtol=0, atol=1e-12)
    assert abs(basics.bias.grad.item() - hand_b.item()) < 1e-12


def test_variable_now_returns_a_plain_tensor():
    assert type(basics.wrapped) is torch.Tensor
    assert basics.wrapped.requires_grad
    from torch.autograd import Variable

    assert type(Variable(torch.zeros(1))) is torch.Tensor


def test_volatile_has_no_effect_and_says_to_use_no_grad():
    from torch.autograd import Variable

    with pytest.warns(UserWarning, match=r"volatile was removed.*torch.no_grad"):
        frozen = Variable(torch.zeros(2), volatile=True)
    weight = torch.ones(2, requires_grad=True)
    assert (frozen * weight).requires_grad  # operations are still recorded
    assert (basics.frozen * basics.wrapped).grad_fn is not None
    with torch.no_grad():  # what does switch recording off
        assert not (frozen * weight).requires_grad


def test_item_and_tolist_leave_the_graph():
    w = torch.tensor([1.5, -0.5], requires_grad=True)
    y = (w * 2).sum()  # 2: depends on w
    assert isinstance(y.item(), float) and isinstance((w * 2).tolist()[0], float)
    # y * y depends on w twice; y * y.item() only once: item() is a constant to autograd
    (through_y,) = torch.autograd.grad(y * y, w, retain_graph=True)
    (through_item,) = torch.autograd.grad(y * y.item(), w, retain_graph=True)
    (through_list,) = torch.autograd.grad(y * sum((w * 2).tolist()), w)
    assert torch.equal(through_y, torch.full((2,), 8.0))  # d(y^2)/dw = 2y * 2
    assert torch.equal(through_item, torch.full((2,), 4.0)) and torch.equal(through_list, through_item)


def test_numpy_refuses_a_tensor_that_requires_grad():
    w = torch.tensor([1.5, -0.5], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        (w * 2).numpy()
    assert (w * 2).detach().numpy().tolist() == [3.0, -1.0]

import pytest
import torch

from snippets.autograd import inplace
from snippets.autograd.inplace import clip_between_forward_and_backward
from tools.outputs import run_region
from tools.regions import Include


def test_in_place_change_to_a_saved_tensor_raises_at_backward():
    # the page's block: sigmoid saved s at version 0, mul_ made it 1, backward refuses
    text = " ".join(run_region(Include("snippets/autograd/inplace.py", "inplace_error")).split())
    assert "RuntimeError: one of the variables needed for gradient computation has been " \
           "modified by an inplace operation" in text
    assert "output 0 of Sigmoid, is at version 1; expected version 0 instead." in text
    assert inplace.s.grad_fn is not None and inplace.u.grad is None  # backward never got through


def test_in_place_ops_bump_the_version_counter():
    assert inplace.s._version == 1
    t = torch.zeros(2)
    t.add_(1)
    t.mul_(3)
    assert t._version == 2


def test_the_out_of_place_version_gives_the_sigmoid_gradient():
    sig = torch.sigmoid(inplace.u_ok.detach())
    assert torch.allclose(inplace.u_ok.grad, 2 * sig * (1 - sig))


def test_editing_through_data_gives_a_wrong_gradient_without_an_error():
    w, x = torch.tensor([0.5, 2.0]), torch.tensor([1.0, 3.0])
    assert torch.equal(clip_between_forward_and_backward(), 2 * w * x)
    wrong = clip_between_forward_and_backward(lambda p: p.data)
    assert not torch.equal(wrong, 2 * w * x)
    assert torch.equal(wrong, 2 * w.clamp(max=1.0) * x)  # computed from the clipped w


def test_editing_through_detach_or_under_no_grad_is_caught():
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        clip_between_forward_and_backward(lambda p: p.detach())

    def under_no_grad(p):
        with torch.no_grad():
            p.clamp_(max=1.0)
        return torch.empty(0)  # the caller's clamp_ on an empty tensor changes nothing

    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        clip_between_forward_and_backward(under_no_grad)


def test_data_does_not_share_the_version_counter_but_detach_does():
    p = torch.ones(2, requires_grad=True)
    before = p._version
    p.data.add_(1.0)
    assert p._version == before
    p.detach().add_(1.0)
    assert p._version == before + 1

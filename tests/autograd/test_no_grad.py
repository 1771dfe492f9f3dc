import pytest
import torch

from snippets.autograd import no_grad
from tools.outputs import run_region
from tools.regions import Include


def test_detach_shares_storage_with_its_source():
    assert no_grad.view.data_ptr() == no_grad.params.data_ptr()
    assert not no_grad.view.requires_grad and no_grad.view.grad_fn is None
    assert no_grad.params[0].item() == 100.0  # written through the detached tensor
    assert no_grad.copy[1].item() == -1.0 and no_grad.params[1].item() == 1.0  # clone() does not share


def test_detach_shares_the_version_counter_too():
    p = torch.zeros(3, requires_grad=True)
    d = p.detach()
    before = p._version
    d.add_(1.0)
    assert p._version == before + 1
    assert torch.equal(p.detach(), torch.ones(3))


def test_no_grad_and_inference_mode_record_nothing():
    for out in (no_grad.feats_ng, no_grad.feats_im):
        assert not out.requires_grad and out.grad_fn is None
    assert not no_grad.feats_ng.is_inference()
    assert no_grad.feats_im.is_inference()
    assert torch.equal(no_grad.feats_ng, no_grad.feats_im)  # same values either way


def test_a_no_grad_result_can_be_used_by_autograd_later():
    head = torch.nn.Linear(3, 1)
    head(no_grad.feats_ng).sum().backward()
    assert torch.allclose(head.weight.grad, no_grad.feats_ng.sum(0, keepdim=True))


def test_an_inference_tensor_cannot_be_saved_for_backward_later():
    head = torch.nn.Linear(3, 1)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        head(no_grad.feats_im)  # the forward call raises: Linear would save its input
    head(no_grad.feats_im.clone()).sum().backward()  # the documented way out
    assert head.weight.grad is not None


def test_an_operation_that_saves_an_inference_tensor_raises_when_it_is_recorded():
    with torch.inference_mode():
        t = torch.full((3,), 2.0)
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        w * t  # MulBackward0 would save t to compute w's gradient
    with torch.no_grad():
        assert torch.equal(w * t, torch.full((3,), 2.0))  # nothing recorded: no error


def test_an_inference_tensor_takes_part_in_autograd_as_a_constant_where_nothing_saves_it():
    with torch.inference_mode():
        t = torch.full((3,), 2.0)
    w = torch.ones(3, requires_grad=True)
    (w + t).sum().backward()  # AddBackward0 saves neither input
    assert torch.equal(w.grad, torch.ones(3))
    # the page's example: the same through the region's head and features
    assert no_grad.shifted.grad_fn is not None and no_grad.feats_im.is_inference()
    region = Include("snippets/autograd/no_grad.py", "no_grad_vs_inference_mode")
    lines = run_region(region).splitlines()
    n = no_grad.feats_im.numel()
    assert f"bias.grad through an addition: [{float(n)}]" in lines
    assert "RuntimeError: Inference tensors cannot be saved for backward" in lines


def test_an_inference_tensor_cannot_be_made_to_require_grad_outside_the_mode():
    with torch.inference_mode():
        t = torch.zeros(2)
    with pytest.raises(RuntimeError, match="requires_grad=True on inference tensor outside"):
        t.requires_grad_(True)


def test_an_inference_tensor_cannot_be_changed_in_place_outside_inference_mode():
    with torch.inference_mode():
        t = torch.zeros(2)
    with pytest.raises(RuntimeError, match="Inplace update to inference tensor outside InferenceMode"):
        t.add_(1.0)


def test_in_place_error_on_an_inference_tensor_comes_after_the_write():
    # Measured on PyTorch 2.13: the error is raised, but the values have already changed.
    with torch.inference_mode():
        t = torch.zeros(2)
    with pytest.raises(RuntimeError):
        t.add_(1.0)
    assert torch.equal(t, torch.ones(2))

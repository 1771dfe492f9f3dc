import pytest
import torch

from snippets.autograd.custom_function import LogSumExp, logsumexp


@pytest.mark.parametrize("shape", [(4,), (2, 5), (3, 2, 6)])
def test_logsumexp_matches_torch(shape):
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    assert torch.allclose(logsumexp(x), torch.logsumexp(x, dim=-1), rtol=0, atol=1e-12)


def test_logsumexp_does_not_overflow_on_large_inputs():
    x = torch.tensor([[1000.0, 1000.0, 0.0]])
    assert torch.isfinite(logsumexp(x)).all()
    assert logsumexp(x).item() == pytest.approx(1000.0 + torch.log(torch.tensor(2.0)).item(), abs=1e-3)


def test_backward_is_softmax_times_the_incoming_gradient():
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(3, 4, generator=gen, dtype=torch.float64, requires_grad=True)
    incoming = torch.randn(3, generator=gen, dtype=torch.float64)
    y = logsumexp(x)
    assert type(y.grad_fn).__name__ == "LogSumExpBackward"
    y.backward(gradient=incoming)
    assert torch.allclose(x.grad, incoming.unsqueeze(-1) * torch.softmax(x.detach(), dim=-1))


def test_logsumexp_rejects_bad_input_with_a_one_line_error():
    for bad, got in [(torch.tensor(1.5), "shape ()"), (torch.arange(3), "torch.int64"), ([1.0, 2.0], "got list")]:
        with pytest.raises(ValueError, match="logsumexp") as info:
            logsumexp(bad)
        assert got in str(info.value) and "\n" not in str(info.value)


def test_apply_is_what_records_the_node():
    x = torch.randn(2, 3, requires_grad=True)
    assert LogSumExp.apply(x).grad_fn is not None
    with torch.no_grad():
        assert LogSumExp.apply(x).grad_fn is None

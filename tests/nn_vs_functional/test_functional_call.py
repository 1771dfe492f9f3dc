import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call

from snippets.nn_vs_functional import functional_call as example


def test_functional_call_uses_the_given_parameters():
    expected = example.x.sum(1, keepdim=True)  # weight of ones, bias zero: row sums
    assert torch.allclose(example.out, expected)
    assert torch.equal(example.out, example.expected)


def test_module_gets_its_own_parameters_back():
    assert example.model.weight is example.own_weight
    assert not torch.equal(example.model.weight, example.swapped["weight"])
    own = F.linear(example.x, example.model.weight, example.model.bias)
    assert torch.equal(example.model(example.x), own)
    assert not torch.equal(own, example.out)


def test_functional_call_with_own_state_equals_plain_call():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = torch.randn(5, 3)
    assert torch.equal(functional_call(model, dict(model.named_parameters()), (x,)), model(x))


def test_gradients_flow_to_the_swapped_tensors():
    weight = torch.ones(1, 3, requires_grad=True)
    out = functional_call(example.model, {"weight": weight, "bias": torch.zeros(1)}, (example.x,))
    out.sum().backward()
    assert torch.allclose(weight.grad, example.x.sum(0, keepdim=True))
    assert example.model.weight.grad is None

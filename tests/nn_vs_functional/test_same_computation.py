from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.nn_vs_functional import same_computation


def test_f_conv2d_with_the_modules_weights_equals_the_module_bitwise():
    assert torch.equal(same_computation.by_module, same_computation.by_function)


def test_f_conv2d_with_other_weights_differs():
    other = F.conv2d(same_computation.x, torch.zeros_like(same_computation.conv.weight),
                     same_computation.conv.bias, padding=1)
    assert not torch.equal(other, same_computation.by_module)


def test_module_forward_goes_through_the_functional_call():
    # Replace F.conv2d by a stub: the module's output becomes the stub's output.
    conv = nn.Conv2d(1, 1, 1)
    sentinel = torch.full((1, 1, 2, 2), 7.0)
    with mock.patch.object(F, "conv2d", return_value=sentinel) as stub:
        assert conv(torch.zeros(1, 1, 2, 2)) is sentinel
    (_, weight, bias, *_), _ = stub.call_args
    assert weight is conv.weight and bias is conv.bias


def test_every_listed_module_calls_its_function_once():
    for module, name, inp in same_computation.pairs:
        with mock.patch.object(F, name, wraps=getattr(F, name)) as spy:
            module(inp)
        assert spy.call_count == 1, name

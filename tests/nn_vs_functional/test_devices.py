import torch

from snippets.nn_vs_functional import devices


def test_to_converts_parameters_and_all_buffers_but_not_plain_tensors():
    moved = devices.moved
    assert moved.plain.dtype == torch.float32
    assert moved.weight.dtype == moved.running.dtype == moved.scratch.dtype == torch.float64


def test_optimizer_gets_the_parameter_only():
    params = devices.optimizer.param_groups[0]["params"]
    assert len(params) == 1 and params[0] is devices.moved.weight

import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.nn_vs_functional import batch_norm
from tools.outputs import run_region
from tools.regions import Include


def test_functional_batch_norm_in_eval_equals_module_in_eval():
    assert torch.equal(batch_norm.by_module, batch_norm.by_function)


def test_eval_uses_running_statistics_not_batch_statistics():
    bn = batch_norm.bn
    expected = (batch_norm.x - bn.running_mean[None, :, None, None]) / torch.sqrt(
        bn.running_var[None, :, None, None] + bn.eps)
    assert torch.allclose(batch_norm.by_module, expected, atol=1e-5)  # weight 1, bias 0
    assert (batch_norm.by_module - batch_norm.by_batch).abs().max() > 0.5


def test_running_statistics_moved_towards_the_data():
    assert (batch_norm.bn.running_mean > 0.5).all()


def test_f_batch_norm_defaults_to_eval_while_f_dropout_defaults_to_training():
    torch.manual_seed(0)
    x = torch.randn(4, 3) * 5 + 1
    mean, var = torch.zeros(3), torch.ones(3)
    out = F.batch_norm(x, mean, var)  # no training flag given
    assert torch.equal(out, nn.BatchNorm1d(3).eval()(x))  # the running statistics (0, 1)
    assert not torch.allclose(out, F.batch_norm(x, None, None, training=True))  # not the batch's
    assert torch.equal(mean, torch.zeros(3)) and torch.equal(var, torch.ones(3))  # not updated
    torch.manual_seed(0)
    assert (F.dropout(torch.ones(100)) == 0).any()  # no training flag given: it drops


def test_region_prints_the_opposite_defaults():
    region = Include("snippets/nn_vs_functional/batch_norm.py", "batch_norm_defaults_to_eval")
    assert run_region(region).splitlines() == ["F.dropout    training=True",
                                               "F.batch_norm training=False"]

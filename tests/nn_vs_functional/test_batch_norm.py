import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.nn_vs_functional import batch_norm


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
    assert torch.allclose(out, x / (1 + 1e-5) ** 0.5)  # running stats (0, 1), no batch stats
    assert torch.equal(mean, torch.zeros(3))  # and nothing was updated
    bn = nn.BatchNorm1d(3).eval()
    assert torch.allclose(bn(x), out)

import torch

from snippets.nn_vs_functional.dropout_pitfall import FixedNet, ForgetfulNet, ModuleNet


def run(net, mode, x, seed=0):
    getattr(net, mode)()
    torch.manual_seed(seed)
    return net(x)


def test_f_dropout_defaults_to_training_so_eval_does_not_turn_it_off():
    x = torch.ones(20, 20)
    out = run(ForgetfulNet(), "eval", x)
    assert (out == 0).any()
    assert set(out.unique().tolist()) == {0.0, 2.0}  # kept values scaled by 1/(1-p)


def test_passing_self_training_makes_eval_the_identity():
    x = torch.randn(20, 20)
    assert torch.equal(run(FixedNet(), "eval", x), x)


def test_nn_dropout_is_the_identity_in_eval():
    x = torch.randn(20, 20)
    assert torch.equal(run(ModuleNet(), "eval", x), x)


def test_all_three_drop_the_same_elements_in_training_with_the_same_seed():
    x = torch.ones(20, 20)
    outs = [run(cls(), "train", x) for cls in (ForgetfulNet, FixedNet, ModuleNet)]
    assert torch.equal(outs[0], outs[1]) and torch.equal(outs[1], outs[2])

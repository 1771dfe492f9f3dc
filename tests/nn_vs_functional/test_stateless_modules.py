import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.ao.nn.intrinsic import ConvReLU2d

from snippets.nn_vs_functional import stateless_modules as sm
from tools.outputs import run_region
from tools.regions import Include

PATH = "snippets/nn_vs_functional/stateless_modules.py"


def test_the_two_models_compute_the_same_thing_and_share_state_dict_keys():
    torch.manual_seed(0)
    a = sm.ModuleReLUNet().eval()
    torch.manual_seed(0)  # ReLU modules own no parameters: both draw the same weights
    b = sm.FunctionalReLUNet().eval()
    assert a.state_dict().keys() == b.state_dict().keys()
    x = torch.rand(4, 1, 8, 8)
    assert torch.equal(a(x), b(x))


def test_print_and_named_modules_list_relu_modules_only():
    assert "(relu1): ReLU()" in str(sm.ModuleReLUNet()) and "ReLU()" not in str(sm.FunctionalReLUNet())
    out = run_region(Include(PATH, "two_models")).splitlines()
    assert out[-2:] == ["nn.ReLU modules of ModuleReLUNet: ['relu1', 'relu2']",
                        "nn.ReLU modules of FunctionalReLUNet: []"]


def test_each_relu_hook_runs_once_per_forward_and_captures_the_relu_output():
    calls = []
    model, images = sm.model, sm.images
    extra = [model.relu1.register_forward_hook(lambda *a: calls.append("relu1")),
             model.relu2.register_forward_hook(lambda *a: calls.append("relu2"))]
    try:
        captured = sm.relu_outputs(model, images)
    finally:
        for handle in extra:
            handle.remove()
    assert calls == ["relu1", "relu2"]  # one call each, in forward's order
    assert list(captured) == ["relu1", "relu2"]
    assert all(out.shape == (16, 8, 8, 8) for out in captured.values())
    with torch.no_grad():
        first = F.relu(model.bn1(model.conv1(images)))
        second = F.relu(model.bn2(model.conv2(first)))
    assert torch.equal(captured["relu1"], first) and torch.equal(captured["relu2"], second)


def test_relu_outputs_removes_its_hooks_even_when_forward_fails():
    model = sm.ModuleReLUNet()
    with pytest.raises(RuntimeError):
        sm.relu_outputs(model, torch.rand(2, 3, 8, 8))  # three channels, conv1 takes one
    assert not model.relu1._forward_hooks and not model.relu2._forward_hooks


def test_the_three_shifted_channels_are_the_dead_ones():
    second = sm.activations["relu2"]
    dead = (second == 0).all(dim=(0, 2, 3))
    assert dead.nonzero().flatten().tolist() == [0, 1, 2]
    assert not (sm.activations["relu1"] == 0).all(dim=(0, 2, 3)).any()
    out = run_region(Include(PATH, "relu_hooks")).splitlines()
    assert out[1].endswith("dead channels [0, 1, 2]") and out[0].endswith("dead channels []")


def test_a_model_without_relu_modules_gets_a_value_error_naming_it():
    with pytest.raises(ValueError, match=r"FunctionalReLUNet has no nn\.ReLU module to hook"):
        sm.relu_outputs(sm.FunctionalReLUNet(), sm.images)


def test_hooking_batch_norm_and_reapplying_relu_gives_the_same_activations():
    assert torch.equal(sm.after_bn["bn1"], sm.activations["relu1"])
    assert torch.equal(sm.after_bn["bn2"], sm.activations["relu2"])
    assert run_region(Include(PATH, "hook_the_functional_model")).splitlines()[-1] == "same activations: True"


def test_fuse_modules_makes_conv_relu_blocks_only_from_relu_modules():
    fused = sm.fused
    for i in (1, 2):
        block = getattr(fused, f"conv{i}")
        assert type(block) is ConvReLU2d
        assert [type(c) for c in block.children()] == [nn.Conv2d, nn.ReLU]
        assert type(getattr(fused, f"bn{i}")) is nn.Identity and type(getattr(fused, f"relu{i}")) is nn.Identity
    assert type(sm.net.conv1) is nn.Conv2d  # fuse_modules returned a copy


def test_fused_model_stays_within_1e_6_of_the_original_but_differs():
    diff = (sm.got - sm.expected).abs().max().item()
    assert 0 < diff < 1e-6
    assert sm.expected.abs().max().item() > 0.1  # the tolerance is small against the outputs


def test_fusing_with_f_relu_fails_on_the_missing_name_and_conv_bn_alone_fuses():
    with pytest.raises(AttributeError, match="'FunctionalReLUNet' object has no attribute 'relu1'"):
        from torch.ao.quantization import fuse_modules
        fuse_modules(sm.fnet, [["conv1", "bn1", "relu1"]])
    half = sm.half
    assert type(half.conv1) is nn.Conv2d and type(half.conv2) is nn.Conv2d
    assert type(half.bn1) is nn.Identity and type(half.bn2) is nn.Identity
    assert not any(isinstance(m, ConvReLU2d) for m in half.modules())
    with torch.no_grad():
        assert (half(sm.x) - sm.expected).abs().max().item() < 1e-6


def test_fx_records_call_module_for_relu_modules_and_call_function_for_f_relu():
    traced = {n.name: n for n in torch.fx.symbolic_trace(sm.ModuleReLUNet()).graph.nodes}
    assert (traced["relu1"].op, traced["relu1"].target) == ("call_module", "relu1")
    functional = [n for n in torch.fx.symbolic_trace(sm.FunctionalReLUNet()).graph.nodes
                  if n.op == "call_function"]
    assert [n.target for n in functional] == [F.relu, F.relu]
    left = list(sm.fx_nodes(sm.ModuleReLUNet()))
    right = list(sm.fx_nodes(sm.FunctionalReLUNet()))
    differing = [(a, b) for a, b in zip(left, right, strict=True) if a != b]
    assert differing == [("call_module relu1", "call_function torch.nn.functional.relu"),
                         ("call_module relu2", "call_function torch.nn.functional.relu")]
    assert not any("0x" in line for line in left + right)


def test_export_records_the_same_aten_ops_for_both_forms():
    ops = sm.module_ops  # exported once, when the module was imported
    assert ops.count("aten.relu.default") == 2
    assert ops == sm.aten_ops(sm.FunctionalReLUNet())


def test_fuse_fx_finds_the_f_relu_calls_in_the_traced_graph():
    fused = sm.graph_fused
    assert [type(m) for m in fused.children()] == [ConvReLU2d, ConvReLU2d, nn.Linear]
    with torch.no_grad():
        assert torch.equal(fused(sm.x), sm.got)  # the same folded weights as fuse_modules on ModuleReLUNet

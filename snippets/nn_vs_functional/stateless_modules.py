"""Where nn.ReLU differs from F.relu although it holds no state: hooks, print, fusion, graphs."""

# --8<-- [start:two_models]
import torch
import torch.nn as nn
import torch.nn.functional as F


class ModuleReLUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1, self.relu1 = nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU()
        self.conv2, self.bn2, self.relu2 = nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU()
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        x = self.relu2(self.bn2(self.conv2(x)))
        return self.head(x.mean((2, 3)))


class FunctionalReLUNet(nn.Module):  # the same network, with F.relu in forward
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.conv2, self.bn2 = nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.head(x.mean((2, 3)))


print(ModuleReLUNet())
print(FunctionalReLUNet())
for cls in (ModuleReLUNet, FunctionalReLUNet):
    relus = [name for name, module in cls().named_modules() if isinstance(module, nn.ReLU)]
    print(f"nn.ReLU modules of {cls.__name__}: {relus}")
# --8<-- [end:two_models]


# needs: two_models
# --8<-- [start:relu_hooks]
import torch
import torch.nn as nn


def relu_outputs(model, x):
    """{name: output} of every nn.ReLU module of model on input x, captured by forward hooks."""
    captured = {}

    def keep(name):
        def hook(module, args, output):  # runs right after module.forward
            captured[name] = output.detach()
        return hook

    handles = [module.register_forward_hook(keep(name))
               for name, module in model.named_modules() if isinstance(module, nn.ReLU)]
    if not handles:
        raise ValueError(f"{type(model).__name__} has no nn.ReLU module to hook: "
                         "a ReLU that forward applies with F.relu is not a module")
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:  # leave the model as we found it
            handle.remove()
    return captured


torch.manual_seed(0)
model = ModuleReLUNet().eval()
with torch.no_grad():  # as if a too-large step had pushed three channels' shift far below zero
    model.bn2.bias[:3] = -5.0
images = torch.rand(16, 1, 8, 8, generator=torch.Generator().manual_seed(1))

activations = relu_outputs(model, images)
for name, out in activations.items():
    zero = out == 0
    dead = zero.all(dim=(0, 2, 3)).nonzero().flatten().tolist()  # zero for every image and pixel
    print(f"{name}: {tuple(out.shape)}, {zero.float().mean().item():.1%} zeros, dead channels {dead}")
# --8<-- [end:relu_hooks]


# needs: two_models, relu_hooks
# --8<-- [start:hook_the_functional_model]
import torch
import torch.nn.functional as F

fmodel = FunctionalReLUNet().eval()
fmodel.load_state_dict(model.state_dict())  # the same keys: a ReLU module holds no state
try:
    relu_outputs(fmodel, images)
except ValueError as err:
    print("ValueError:", err)

# What is left: hook the module whose output forward hands to F.relu, and apply F.relu again.
after_bn = {}


def relu_of_output(name):
    def hook(module, args, output):
        after_bn[name] = F.relu(output).detach()
    return hook


for name in ("bn1", "bn2"):
    getattr(fmodel, name).register_forward_hook(relu_of_output(name))
with torch.no_grad():
    fmodel(images)
print("same activations:", torch.equal(after_bn["bn1"], activations["relu1"])
      and torch.equal(after_bn["bn2"], activations["relu2"]))
# --8<-- [end:hook_the_functional_model]


# needs: two_models
# --8<-- [start:fuse_module_relu]
import torch
from torch.ao.quantization import fuse_modules

torch.manual_seed(0)
net = ModuleReLUNet()
with torch.no_grad():  # a few training-mode batches give batch norm real running statistics
    for _ in range(20):
        net(torch.rand(16, 1, 8, 8))
net.eval()  # fuse_modules folds batch norm into the convolution in eval mode only

fused = fuse_modules(net, [["conv1", "bn1", "relu1"], ["conv2", "bn2", "relu2"]])  # a fused copy
for name, child in fused.named_children():
    print(f"{name:<6} {type(child).__name__:<11}", [type(c).__name__ for c in child.children()])

x = torch.rand(16, 1, 8, 8, generator=torch.Generator().manual_seed(1))
with torch.no_grad():
    expected, got = net(x), fused(x)
print("bit-identical:", torch.equal(got, expected))
print("max |difference| below 1e-6:", (got - expected).abs().max().item() < 1e-6)
# --8<-- [end:fuse_module_relu]


# needs: two_models, fuse_module_relu
# --8<-- [start:fuse_functional_relu]
import torch
from torch.ao.quantization import fuse_modules

fnet = FunctionalReLUNet().eval()
fnet.load_state_dict(net.state_dict())
try:
    fuse_modules(fnet, [["conv1", "bn1", "relu1"]])
except AttributeError as err:
    print("AttributeError:", err)

half = fuse_modules(fnet, [["conv1", "bn1"], ["conv2", "bn2"]])  # what can be fused without ReLU modules
for name, child in half.named_children():
    print(f"{name:<6} {type(child).__name__}")
with torch.no_grad():
    print("max |difference| below 1e-6:", (half(x) - expected).abs().max().item() < 1e-6)

from torch.ao.quantization.quantize_fx import fuse_fx

graph_fused = fuse_fx(fnet)  # traces forward with torch.fx first, so it sees the F.relu calls
print("fuse_fx:", [f"{name} {type(child).__name__}" for name, child in graph_fused.named_children()])
# --8<-- [end:fuse_functional_relu]


# needs: two_models
# --8<-- [start:fx_graphs]
import torch.fx


def fx_nodes(model):
    """'op target' of each node that torch.fx records while tracing model's forward."""
    for node in torch.fx.symbolic_trace(model).graph.nodes:
        target = node.target
        if callable(target):  # a function: print its import path, not its repr with an address
            target = f"{target.__module__}.{target.__name__}"
        yield f"{node.op} {target}"


print(f"{'ModuleReLUNet':<26}FunctionalReLUNet")
for left, right in zip(fx_nodes(ModuleReLUNet()), fx_nodes(FunctionalReLUNet()), strict=True):
    print(f"{left:<26}{right}")
# --8<-- [end:fx_graphs]


# needs: two_models
# --8<-- [start:export_graphs]
import torch


def aten_ops(model):
    """The ATen operators of the graph that torch.export records for model."""
    program = torch.export.export(model.eval(), (torch.rand(2, 1, 8, 8),))
    return [str(node.target) for node in program.graph.nodes if node.op == "call_function"]


module_ops = aten_ops(ModuleReLUNet())
print("ModuleReLUNet:", *module_ops, sep="\n  ")
print("FunctionalReLUNet gives the same list:", aten_ops(FunctionalReLUNet()) == module_ops)
# --8<-- [end:export_graphs]

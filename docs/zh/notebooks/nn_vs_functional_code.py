# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # nn.Xxx 与 nn.functional.xxx 的区别
#
# 本文全部示例代码，按页面顺序排列，在一个空目录里从头到尾运行即可。先安装所需的包：
#
# ```bash
# pip install torch --index-url https://download.pytorch.org/whl/cpu
# ```

# %%
# The files this article's code reads: fetched from the site when not in this folder.
import os
import urllib.request
from pathlib import Path

site = os.environ.get("PYML_NOTES_SITE", "https://pyml-notes.github.io/")
for name, url in [
    ('speed.json', '_src/snippets/nn_vs_functional/measured/speed.json'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)

# %% [markdown]
# ## 问题
#
# ## 同一个计算

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
x = torch.randn(2, 3, 16, 16)

by_module = conv(x)
# The function needs everything passed in: the module's own weight and bias here.
by_function = F.conv2d(x, conv.weight, conv.bias, padding=1)
print("shape:", tuple(by_module.shape))
print("bitwise equal:", torch.equal(by_module, by_function))

# %%
from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
pairs = [
    (nn.Conv2d(3, 4, 3), "conv2d", torch.randn(1, 3, 8, 8)),
    (nn.Linear(5, 2), "linear", torch.randn(4, 5)),
    (nn.ReLU(), "relu", torch.randn(4, 5)),
    (nn.Dropout(0.5), "dropout", torch.randn(4, 5)),
    (nn.BatchNorm1d(5), "batch_norm", torch.randn(4, 5)),
]
for module, name, inp in pairs:
    # A spy on F.<name> that still does the real work; then call the MODULE.
    with mock.patch.object(F, name, wraps=getattr(F, name)) as spy:
        module(inp)
    calls = spy.call_count
    print(f"{type(module).__name__:<12} called F.{name:<10} {calls} time(s)")

# %%
import json
from pathlib import Path

# Measured by the repository's measure.py on the machine named in the file;
# download speed.json into the folder this code runs in.
path = Path("speed.json")
data = json.loads(path.read_text(encoding="utf-8"))
print("machine:", data["machine"], "| torch", data["torch"])
print("method: ", data["method"])


def spread(t):  # µs per call: median [min, max] over the rounds
    return f"{t['median']:.2f} [{t['min']:.2f}, {t['max']:.2f}]"


print(f"{'case':<18} {'nn.Xxx µs':<26} {'F.xxx µs':<26} extra µs (nn - F, per round)")
for row in data["rows"]:
    module, function, extra = row["module_us"], row["function_us"], row["extra_us"]
    print(f"{row['case']:<18} {spread(module):<26} {spread(function):<26} {spread(extra)}")

# %% [markdown]
# ## 模块拥有状态

# %%
import torch
import torch.nn as nn


class Holder(nn.Module):
    def __init__(self):
        super().__init__()
        # An ordinary attribute: the module does not know about it.
        self.plain = torch.zeros(2)
        # Learnable: trained, saved, moved.
        self.weight = nn.Parameter(torch.ones(2))
        # State: saved and moved, not trained.
        self.register_buffer("running", torch.zeros(2))
        # Moved, but neither trained nor saved.
        self.register_buffer("scratch", torch.zeros(2), persistent=False)


if __name__ == "__main__":  # so that importing Holder elsewhere prints nothing
    holder = Holder()
    print("state_dict keys:", list(holder.state_dict()))
    print("parameters:     ", [name for name, _ in holder.named_parameters()])
    print("buffers:        ", [name for name, _ in holder.named_buffers()])

# %%
import torch

moved = Holder().to(torch.float64)  # the same call moves tensors to a GPU
for name in ("plain", "weight", "running", "scratch"):
    print(f"{name:<8} {getattr(moved, name).dtype}")

optimizer = torch.optim.SGD(moved.parameters(), lr=0.1)
print("tensors the optimizer updates:", len(optimizer.param_groups[0]["params"]))

# %% [markdown]
# ## nn.Sequential 只接收模块

# %%
import torch.nn as nn
import torch.nn.functional as F

try:
    nn.Sequential(nn.Linear(4, 4), F.relu)  # a function, not a module
except TypeError as err:
    print("TypeError:", err)

model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.1))
print([type(layer).__name__ for layer in model])
model.eval()
print("eval() reached every layer:", all(not layer.training for layer in model))

# %% [markdown]
# ## 原文的错误：F.dropout 与 eval()

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F


class ForgetfulNet(nn.Module):
    def forward(self, x):
        # training defaults to True, whatever eval() says:
        return F.dropout(x, p=0.5)


class FixedNet(nn.Module):
    def forward(self, x):
        # follows train() / eval():
        return F.dropout(x, p=0.5, training=self.training)


class ModuleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(p=0.5)  # a submodule: eval() switches it off

    def forward(self, x):
        return self.drop(x)


x = torch.ones(4, 6)
for net in (ForgetfulNet(), FixedNet(), ModuleNet()):
    for mode in ("train", "eval"):
        getattr(net, mode)()
        torch.manual_seed(0)
        out = net(x)
        zeros = int((out == 0).sum())
        values = sorted(set(out.flatten().tolist()))
        name = type(net).__name__
        print(f"{name:<12} {mode:<5}: {zeros:2d}/{x.numel()} zeroed, values {values}")

# %% [markdown]
# ## 批归一化：eval 下用滑动统计量

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
bn = nn.BatchNorm2d(4)
for _ in range(5):  # a few training steps update running_mean / running_var
    bn(torch.randn(8, 4, 5, 5) * 3 + 2)

bn.eval()
x = torch.randn(8, 4, 5, 5) * 3 + 2
by_module = bn(x)
by_function = F.batch_norm(x, bn.running_mean, bn.running_var, bn.weight, bn.bias,
                           training=False, eps=bn.eps)
print("running_mean:", [f"{v:.3f}" for v in bn.running_mean.tolist()])
print("bitwise equal in eval:", torch.equal(by_module, by_function))
# Batch statistics would give a different answer:
by_batch = F.batch_norm(x, None, None, bn.weight, bn.bias,
                        training=True, eps=bn.eps)
print(f"max |eval - batch stats|: {(by_module - by_batch).abs().max():.3f}")

# %%
import inspect

import torch.nn.functional as F

# The two functions pick opposite defaults for the same flag.
for fn in (F.dropout, F.batch_norm):
    default = inspect.signature(fn).parameters["training"].default
    print(f"F.{fn.__name__:<10} training={default}")

# %% [markdown]
# ## torch.func.functional_call

# %%
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call

torch.manual_seed(0)
model = nn.Linear(3, 1)
x = torch.randn(4, 3)
own_weight = model.weight

# Same keys as model.state_dict(); any tensors we like as values.
swapped = {"weight": torch.ones(1, 3), "bias": torch.zeros(1)}
out = functional_call(model, swapped, (x,))
expected = F.linear(x, swapped["weight"], swapped["bias"])
print("uses the swapped tensors:", torch.allclose(out, expected))
print("row sums of x:           ", [f"{v:.4f}" for v in x.sum(1).tolist()])
print("functional_call output:  ", [f"{v:.4f}" for v in out.flatten().tolist()])
# functional_call put the module's own parameter back afterwards:
print("model.weight is its own again:", model.weight is own_weight)

# %% [markdown]
# ## 无状态的运算，为什么有时仍要写成 nn.ReLU

# %%
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

# %%
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

# %%
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

# %%
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

# %%
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

# %%
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

# %%
import torch


def aten_ops(model):
    """The ATen operators of the graph that torch.export records for model."""
    program = torch.export.export(model.eval(), (torch.rand(2, 1, 8, 8),))
    return [str(node.target) for node in program.graph.nodes if node.op == "call_function"]


module_ops = aten_ops(ModuleReLUNet())
print("ModuleReLUNet:", *module_ops, sep="\n  ")
print("FunctionalReLUNet gives the same list:", aten_ops(FunctionalReLUNet()) == module_ops)

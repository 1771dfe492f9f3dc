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
# # nn.Xxx vs nn.functional.xxx
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. First install what it needs:
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
# ## The question
#
# ## The same computation

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
# ## A module owns its state

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
# ## nn.Sequential takes modules only

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
# ## The seed's error: F.dropout and eval()

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
# ## Batch norm in eval uses the running statistics

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

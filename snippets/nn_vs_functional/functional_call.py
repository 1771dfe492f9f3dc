"""torch.func.functional_call: run a module with parameters you pass in."""

# --8<-- [start:functional_call_swaps_parameters]
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
# --8<-- [end:functional_call_swaps_parameters]

"""nn.Xxx and F.xxx compute the same thing: the module's forward calls the function."""

# --8<-- [start:conv2d_module_equals_functional]
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
# --8<-- [end:conv2d_module_equals_functional]


# --8<-- [start:module_forward_calls_functional]
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
# --8<-- [end:module_forward_calls_functional]

"""Batch norm: in eval mode both forms normalise with the running statistics."""

# --8<-- [start:functional_batch_norm_eval]
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
# --8<-- [end:functional_batch_norm_eval]


# --8<-- [start:batch_norm_defaults_to_eval]
import inspect

import torch.nn.functional as F

# The two functions pick opposite defaults for the same flag.
for fn in (F.dropout, F.batch_norm):
    default = inspect.signature(fn).parameters["training"].default
    print(f"F.{fn.__name__:<10} training={default}")
# --8<-- [end:batch_norm_defaults_to_eval]

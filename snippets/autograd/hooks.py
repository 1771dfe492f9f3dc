"""Tensor hooks: see and replace the gradient of a non-leaf; update a parameter inside backward."""

# --8<-- [start:hook_on_a_non_leaf]
import torch

x = torch.tensor([0.5, -2.0, 1.5], requires_grad=True)
h = 3 * x  # a non-leaf: its gradient is normally dropped after use
h.retain_grad()  # keep h.grad anyway
seen = []


def clip(grad):
    seen.append(grad.clone())  # the gradient arriving at h ...
    return grad.clamp(-2.0, 2.0)  # ... and what flows on to x instead


handle = h.register_hook(clip)
loss = (h**2).sum()  # d loss / d h = 2h = [3, -12, 9]
loss.backward(retain_graph=True)
print("the hook saw     ", seen[0].tolist())
print("h.grad (retained)", h.grad.tolist())
print("x.grad = 3 * clip", x.grad.tolist())

handle.remove()  # the same graph, backward again, without the hook
x.grad = None
loss.backward()
print("after remove()   ", x.grad.tolist(), "- hook calls:", len(seen))
# --8<-- [end:hook_on_a_non_leaf]


# --8<-- [start:optimizer_in_backward]
import copy

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
twin = copy.deepcopy(model)  # trained the usual way, to compare with
gen = torch.Generator().manual_seed(0)
inputs = torch.randn(32, 8, generator=gen)
targets = torch.randn(32, 1, generator=gen)
lr = 0.1


def sgd_step(p):  # called once p.grad holds this backward pass's whole gradient
    p.add_(p.grad, alpha=-lr)  # hooks run under no_grad: not recorded
    p.grad = None  # this gradient can be freed now, not after backward


handles = [p.register_post_accumulate_grad_hook(sgd_step)
           for p in model.parameters()]
optimizer = torch.optim.SGD(twin.parameters(), lr=lr)
for _ in range(5):
    nn.functional.mse_loss(model(inputs), targets).backward()  # steps while it runs
    optimizer.zero_grad()
    nn.functional.mse_loss(twin(inputs), targets).backward()
    optimizer.step()

print(".grad after backward:", [p.grad for p in model.parameters()])
print("same weights as optimizer.step():",
      all(torch.equal(a, b) for a, b in zip(model.parameters(), twin.parameters(),
                                            strict=True)))
for handle in handles:
    handle.remove()
nn.functional.mse_loss(model(inputs), targets).backward()
print("hooks removed, backward fills .grad again:",
      all(p.grad is not None for p in model.parameters()))
# --8<-- [end:optimizer_in_backward]

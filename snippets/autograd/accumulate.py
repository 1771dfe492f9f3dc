"""Gradients add up in .grad; the graph is freed after backward unless retained; zeroing them."""

# --8<-- [start:second_backward_doubles]
import torch

w = torch.tensor([0.3, -1.2], requires_grad=True)
loss = (w * w.sin()).sum()  # the graph saves w and sin(w) for backward

loss.backward(retain_graph=True)  # keep the saved tensors
first = w.grad.clone()
loss.backward()  # the same gradient again, ADDED to w.grad
print("after 1 backward:", [round(g, 4) for g in first.tolist()])
print("after 2 backward:", [round(g, 4) for g in w.grad.tolist()])
print("doubled:", torch.equal(w.grad, 2 * first))
# --8<-- [end:second_backward_doubles]


# --8<-- [start:graph_freed_after_backward]
import torch

w_once = torch.tensor([0.3, -1.2], requires_grad=True)
loss_once = (w_once * w_once.sin()).sum()
loss_once.backward()  # frees the saved tensors as it goes
try:
    loss_once.backward()
except RuntimeError as err:
    print("RuntimeError:", str(err).split(" (")[0])
# --8<-- [end:graph_freed_after_backward]


# --8<-- [start:zero_grad]
import torch

torch.manual_seed(0)
layer = torch.nn.Linear(3, 1)
batch = torch.ones(2, 3)

layer(batch).sum().backward()
print("after backward:              ", layer.bias.grad)
layer.zero_grad()  # default since PyTorch 2.0: set_to_none=True
print("zero_grad():                 ", layer.bias.grad)
layer(batch).sum().backward()
layer.zero_grad(set_to_none=False)  # the old way: fill with zeros
print("zero_grad(set_to_none=False):", layer.bias.grad)
# --8<-- [end:zero_grad]


# --8<-- [start:micro_batches]
import torch
from torch.nn.functional import mse_loss

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
features, labels = torch.randn(12, 4), torch.randn(12, 1)

mse_loss(model(features), labels).backward()  # one batch of 12
full = [p.grad.clone() for p in model.parameters()]

model.zero_grad()
# three micro-batches of 4; scale each loss so the sum is the mean of 12
parts = zip(features.split(4), labels.split(4), strict=True)
for part_x, part_y in parts:
    (mse_loss(model(part_x), part_y) / 3).backward()
accumulated = [p.grad for p in model.parameters()]
pairs = zip(accumulated, full, strict=True)
print("same gradient to 1e-6:",
      all(torch.allclose(a, f, rtol=0, atol=1e-6) for a, f in pairs))
# --8<-- [end:micro_batches]

"""Working without autograd: detach() shares storage; no_grad and inference_mode differ later on."""

# --8<-- [start:detach_shares_storage]
import torch

params = torch.arange(4.0, requires_grad=True)
view = params.detach()  # same memory, no history, requires_grad=False
print("requires_grad:", view.requires_grad,
      " same storage:", view.data_ptr() == params.data_ptr())

view[0] = 100.0  # writes into params as well
print("params:", params.tolist())

copy = params.detach().clone()  # an independent copy
copy[1] = -1.0
print("params:", params.tolist(), " copy:", copy.tolist())
# --8<-- [end:detach_shares_storage]


# --8<-- [start:no_grad_vs_inference_mode]
import torch

torch.manual_seed(0)
backbone = torch.nn.Linear(6, 3)  # frozen: only computes features
head = torch.nn.Linear(3, 1)  # trained on those features
images = torch.randn(4, 6)

with torch.no_grad():
    feats_ng = backbone(images)
with torch.inference_mode():
    feats_im = backbone(images)
for mode, feats in [("no_grad", feats_ng), ("inference_mode", feats_im)]:
    print(f"{mode:<15} requires_grad={feats.requires_grad}, "
          f"is_inference={feats.is_inference()}")

head(feats_ng).sum().backward()  # an ordinary tensor: fine
print("trained on no_grad features:", head.weight.grad is not None)

head.zero_grad()
# An addition saves nothing for backward: feats_im enters as a constant.
shifted = feats_im + head.bias
shifted.sum().backward()
print("bias.grad through an addition:", head.bias.grad.tolist())
try:
    head(feats_im)  # Linear saves its input for the weight's gradient
except RuntimeError as err:  # raised by the forward call, before any backward
    print("RuntimeError:", str(err).split(". ")[0])
head.zero_grad()
head(feats_im.clone()).sum().backward()  # a clone is a normal tensor
print("trained on a clone:", head.weight.grad is not None)
# --8<-- [end:no_grad_vs_inference_mode]

"""In-place changes to a tensor that backward needs are caught by its version counter (not through .data)."""

# --8<-- [start:inplace_error]
import textwrap

import torch

u = torch.tensor([0.5, 1.5], requires_grad=True)
s = torch.sigmoid(u)  # saves its OUTPUT s: the gradient is s * (1 - s)
print("version of s:", s._version)
s.mul_(2)  # in place: changes the saved tensor, bumps its version
print("version of s:", s._version)
try:
    s.sum().backward()
except RuntimeError as err:
    message = "RuntimeError: " + str(err).split(" Hint")[0]
    print(textwrap.fill(message, 76, subsequent_indent="  "))

u_ok = torch.tensor([0.5, 1.5], requires_grad=True)
s_ok = torch.sigmoid(u_ok) * 2  # out of place: the saved s is untouched
s_ok.sum().backward()
print("u.grad =", [round(g, 4) for g in u_ok.grad.tolist()])
# --8<-- [end:inplace_error]


# --8<-- [start:data_bypasses_the_check]
import textwrap

import torch


def clip_between_forward_and_backward(edit=None):
    """Forward with w, clip edit(w) in place if given, backward; w.grad."""
    w = torch.tensor([0.5, 2.0], requires_grad=True)
    x = torch.tensor([1.0, 3.0])
    loss = (w * w * x).sum()  # saves w: d loss / dw = 2 * w * x
    if edit is not None:
        edit(w).clamp_(max=1.0)  # a weight clip in the wrong place
    loss.backward()
    return w.grad


print("true gradient  :", clip_between_forward_and_backward().tolist())
wrong = clip_between_forward_and_backward(lambda w: w.data)
print("clip via .data :", wrong.tolist(), "<- no error, wrong")
try:
    clip_between_forward_and_backward(lambda w: w.detach())
except RuntimeError as err:
    message = "clip via detach(): RuntimeError: " + str(err).split(":")[0]
    print(textwrap.fill(message, 76, subsequent_indent="  "))
# --8<-- [end:data_bypasses_the_check]

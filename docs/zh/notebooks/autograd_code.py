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
# # autograd：PyTorch 如何自动求导
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
    ('jacobian.json', '_src/snippets/autograd/measured/jacobian.json'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)

# %% [markdown]
# ## 问题

# %%
import textwrap
import warnings

import torch
from torch.autograd import Variable  # still importable, for old code only

raw = torch.tensor([1.0, 2.0])
wrapped = Variable(raw, requires_grad=True)  # the pre-0.4 spelling
print(type(wrapped).__name__, wrapped.requires_grad)
with warnings.catch_warnings(record=True) as legacy_warnings:
    warnings.simplefilter("always")
    frozen = Variable(raw, volatile=True)  # the pre-0.4 "autograd off"
print(textwrap.fill(f"warning: {legacy_warnings[0].message}", 76,
                    subsequent_indent="  "))
# volatile no longer switches anything off:
print("still recorded:", (frozen * wrapped).requires_grad)

# %% [markdown]
# ## 思路：链式法则与反向模式
#
# ## 叶子张量、requires_grad 与 grad_fn

# %%
import textwrap
import warnings

import torch

w = torch.tensor([1.5, -0.5], requires_grad=True)  # a leaf we want .grad of
x = torch.tensor([2.0, 4.0])  # data: also a leaf, no gradient wanted
z = w * x  # recorded: z.grad_fn is the MulBackward0 node
loss = z.exp().sum()  # a scalar

for name, t in [("w", w), ("x", x), ("z", z), ("loss", loss)]:
    node = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"{name:<4} is_leaf={t.is_leaf!s:<5} "
          f"requires_grad={t.requires_grad!s:<5} grad_fn={node}")

loss.backward()
print("w.grad =", [round(g, 4) for g in w.grad.tolist()])  # x * exp(w x)
print("x.grad =", x.grad)  # x asked for no gradient
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("z.grad =", z.grad)  # not a leaf: used, then dropped
message = "warning: " + str(caught[0].message).split(". ")[0]
print(textwrap.fill(message, 76, subsequent_indent="  "))

# %%
import torch

w_kept = torch.tensor([1.5, -0.5], requires_grad=True)
x_kept = torch.tensor([2.0, 4.0])
z_kept = w_kept * x_kept
z_kept.retain_grad()  # keep the gradient of this non-leaf
z_kept.exp().sum().backward()


def show(label, t):
    print(f"{label:<10} =", [round(v, 4) for v in t.tolist()])


show("z.grad", z_kept.grad)  # d loss / dz = exp(z)
show("z.grad * x", z_kept.grad * x_kept)  # chain rule, by hand
show("w.grad", w_kept.grad)

# %% [markdown]
# ## 计算图长什么样

# %%
import torch


def graph_of(output, leaves=None):
    """(nodes, edges) of the graph behind `output`.

    Found by walking grad_fn.next_functions from output.grad_fn.
    nodes maps each backward node to a label: its class name, plus
    the leaf's name for the AccumulateGrad node of a leaf listed in
    `leaves` ({name: tensor}). edges holds (node, next node) pairs,
    in the direction the gradient flows: from the output to leaves.
    """
    if not isinstance(output, torch.Tensor):
        raise TypeError("graph_of() needs a torch.Tensor, "
                        f"got {type(output).__name__}")
    if output.grad_fn is None:
        raise ValueError(
            "graph_of() needs the result of an operation on tensors "
            "that require grad; this tensor has grad_fn=None "
            "(a leaf, or computed without autograd)")
    names = {id(t): name for name, t in (leaves or {}).items()}
    nodes, edges, todo = {}, [], [output.grad_fn]
    while todo:
        node = todo.pop(0)
        if node in nodes:
            continue
        label = type(node).__name__
        leaf = getattr(node, "variable", None)  # AccumulateGrad only
        if leaf is not None and id(leaf) in names:
            label += f"[{names[id(leaf)]}]"
        nodes[node] = label
        for parent_input, _ in node.next_functions:
            if parent_input is not None:  # None: input needs no grad
                edges.append((node, parent_input))
                todo.append(parent_input)
    return nodes, edges


# %%
import torch


def tiny_network_loss():
    """A two-layer regression loss plus weight decay on W.

    Returns the loss and its three leaves by name.
    """
    gen = torch.Generator().manual_seed(0)
    inputs = torch.randn(5, 3, generator=gen)  # data: no grad wanted
    target = torch.randn(5, generator=gen)
    W = torch.randn(3, 4, generator=gen, requires_grad=True)
    b = torch.zeros(4, requires_grad=True)
    v = torch.randn(4, generator=gen, requires_grad=True)
    hidden = torch.tanh(inputs @ W + b)
    loss = ((hidden @ v - target) ** 2).mean() + 0.01 * (W**2).sum()
    return loss, {"W": W, "b": b, "v": v}


if __name__ == "__main__":  # imported by the figure: print nothing then
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    for node, label in nodes.items():
        nxt = [nodes[b] for a, b in edges if a is node]
        print(f"{label:<18} -> {', '.join(nxt) or '(adds into .grad)'}")

# %% [markdown]
# ## 在运行时定义（define-by-run）

# %%
import itertools

import torch


def shrink(t):
    """Halve t until no entry exceeds 1 in size.

    How many halvings that takes depends on the values.
    """
    if not torch.isfinite(t).all():
        raise ValueError("shrink() needs finite values: inf never shrinks")
    halvings = 0
    while t.abs().max() > 1:
        t = t / 2
        halvings += 1
    return t, halvings


def chain(root):
    """Node names from root to a leaf, following each node's first input.

    A run of k equal names is written 'k x Name'.
    """
    names = []
    while root is not None:
        names.append(type(root).__name__)
        nxt = root.next_functions
        root = nxt[0][0] if nxt else None
    runs = [(n, len(list(g))) for n, g in itertools.groupby(names)]
    return " -> ".join(n if k == 1 else f"{k} x {n}" for n, k in runs)


for start in (0.8, 3.0, 40.0):
    s = torch.tensor([start, -0.5], requires_grad=True)
    shrunk, halvings = shrink(s)
    total = shrunk.sum()
    total.backward()
    print(f"start={start:>4}: {halvings} halvings, "
          f"d total/d s[0] = {s.grad[0].item():.6f}")
    print("   graph:", chain(total.grad_fn))

# %% [markdown]
# ## 证明：与手推的梯度一致

# %%
import torch
from torch.nn.functional import softplus


def logistic_loss(X, y, weight, bias):
    """Mean of log(1 + exp(-y * (X @ weight + bias))); labels are +1/-1."""
    margin = y * (X @ weight + bias)
    return softplus(-margin).mean()


def logistic_loss_gradient(X, y, weight, bias):
    """The gradient by hand: dL/dm = -sigmoid(-m) / n, then dm/dw, dm/db."""
    margin = y * (X @ weight + bias)
    dmargin = -torch.sigmoid(-margin) / len(y)
    return X.T @ (dmargin * y), (dmargin * y).sum()


gen = torch.Generator().manual_seed(9)
X = torch.randn(8, 3, generator=gen, dtype=torch.float64)
y = torch.where(torch.rand(8, generator=gen) < 0.5, -1.0, 1.0).double()
weight = torch.randn(3, generator=gen, dtype=torch.float64,
                     requires_grad=True)
bias = torch.tensor(0.25, dtype=torch.float64, requires_grad=True)

logistic_loss(X, y, weight, bias).backward()
hand_w, hand_b = logistic_loss_gradient(X, y, weight.detach(),
                                        bias.detach())
print("autograd dL/dw:", [round(g, 6) for g in weight.grad.tolist()],
      f"dL/db: {bias.grad.item():.6f}")
print("by hand  dL/dw:", [round(g, 6) for g in hand_w.tolist()],
      f"dL/db: {hand_b.item():.6f}")
same_w = torch.allclose(weight.grad, hand_w, rtol=0, atol=1e-12)
same_b = abs(bias.grad.item() - hand_b.item()) < 1e-12
print("equal to 1e-12:", same_w and same_b)

# %% [markdown]
# ## 非标量输出：gradient= 就是向量–雅可比积

# %%
import torch
from torch.autograd.functional import jacobian


def spiral(p):
    """R^3 -> R^3, a small nonlinear map to differentiate."""
    return torch.stack([p[0] * p[1], p[1].sin() + p[2] ** 2,
                        p.exp().sum()])


p = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
out = spiral(p)
try:
    out.backward()  # 3 outputs: which scalar should be differentiated?
except RuntimeError as err:
    print("RuntimeError:", err)

v = torch.tensor([1.0, 2.0, -0.5])
out.backward(gradient=v)  # the gradient of the scalar v . out

J = jacobian(spiral, p.detach())  # 3 x 3, J[i, j] = d out_i / d p_j
print("J =")
for row in J.tolist():
    print("   ", " ".join(f"{value:8.4f}" for value in row))
print("J^T v  =", [round(g, 4) for g in (J.T @ v).tolist()])
print("p.grad =", [round(g, 4) for g in p.grad.tolist()])
print("equal:", torch.allclose(p.grad, J.T @ v))

# %%
import math

import torch

a = 0.7
t = torch.tensor(a, requires_grad=True)
f = t**3 * torch.sin(t)
# create_graph=True: the returned df is itself differentiable
(df,) = torch.autograd.grad(f, t, create_graph=True)
(d2f,) = torch.autograd.grad(df, t)

df_hand = 3 * a**2 * math.sin(a) + a**3 * math.cos(a)
d2f_hand = (6 * a * math.sin(a) + 6 * a**2 * math.cos(a)
            - a**3 * math.sin(a))
print(f"f'(0.7)  autograd {df.item():.6f}  by hand {df_hand:.6f}")
print(f"f''(0.7) autograd {d2f.item():.6f}  by hand {d2f_hand:.6f}")
print("t.grad =", t.grad)  # autograd.grad leaves .grad alone

# %% [markdown]
# ## 梯度会累加

# %%
import torch

w = torch.tensor([0.3, -1.2], requires_grad=True)
loss = (w * w.sin()).sum()  # the graph saves w and sin(w) for backward

loss.backward(retain_graph=True)  # keep the saved tensors
first = w.grad.clone()
loss.backward()  # the same gradient again, ADDED to w.grad
print("after 1 backward:", [round(g, 4) for g in first.tolist()])
print("after 2 backward:", [round(g, 4) for g in w.grad.tolist()])
print("doubled:", torch.equal(w.grad, 2 * first))

# %%
import torch

w_once = torch.tensor([0.3, -1.2], requires_grad=True)
loss_once = (w_once * w_once.sin()).sum()
loss_once.backward()  # frees the saved tensors as it goes
try:
    loss_once.backward()
except RuntimeError as err:
    print("RuntimeError:", str(err).split(" (")[0])

# %%
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

# %%
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

# %%
import torch
from torch.nn.functional import mse_loss


def fit_line(steps, zero_grad, lr=0.1):
    """Fit y = 2x + 1 by gradient descent; return each step's loss.

    With zero_grad=False, .grad is never cleared.
    """
    torch.manual_seed(0)
    line = torch.nn.Linear(1, 1)
    xs = torch.linspace(-1, 1, 16).unsqueeze(1)
    ys = 2 * xs + 1
    losses = []
    for _ in range(steps):
        if zero_grad:
            line.zero_grad()
        loss = mse_loss(line(xs), ys)
        loss.backward()  # without zero_grad: the sum of all gradients
        with torch.no_grad():  # the update must not be recorded
            for param in line.parameters():
                param -= lr * param.grad
        losses.append(loss.item())
    return losses


if __name__ == "__main__":  # imported by the figure: print nothing then
    cleared = fit_line(40, zero_grad=True)
    never = fit_line(40, zero_grad=False)
    print("largest loss in steps 31-40:")
    print(f"  zero_grad every step: {max(cleared[-10:]):.4f}")
    print(f"  never zero_grad:      {max(never[-10:]):.4f}")

# %% [markdown]
# ## 关掉 autograd：detach、no_grad 与 inference_mode

# %%
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

# %%
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

# %% [markdown]
# ## 原地修改与版本计数

# %%
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

# %% [markdown]
# ### 不要用 .data

# %%
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

# %% [markdown]
# ## 自定义 Function

# %%
import torch


class LogSumExp(torch.autograd.Function):
    """y = log(sum_j exp(x_j)) over the last dimension, computed stably.

    Its derivative is the softmax: dy/dx_j = exp(x_j - y).
    """

    @staticmethod
    def forward(ctx, x):
        top = x.amax(dim=-1, keepdim=True)  # so exp() cannot overflow
        y = top.squeeze(-1) + (x - top).exp().sum(dim=-1).log()
        ctx.save_for_backward(x, y)  # what backward will need
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, y = ctx.saved_tensors
        softmax = (x - y.unsqueeze(-1)).exp()  # dy/dx, row by row
        return grad_y.unsqueeze(-1) * softmax  # v^T J: one per input


def logsumexp(x):
    """LogSumExp.apply, for a floating-point tensor of 1 or more dims."""
    if isinstance(x, torch.Tensor):
        if x.is_floating_point() and x.dim() > 0:
            return LogSumExp.apply(x)
        got = f"a {x.dtype} tensor of shape {tuple(x.shape)}"
    else:
        got = type(x).__name__
    raise ValueError("logsumexp() needs a floating-point tensor with at "
                     f"least one dimension, got {got}")


if __name__ == "__main__":  # the tests import this module: print nothing then
    scores = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.0, 0.0]],
                          requires_grad=True)
    lse = logsumexp(scores)
    print("ours :", [round(v, 4) for v in lse.tolist()],
          " grad_fn:", type(lse.grad_fn).__name__)
    reference = torch.logsumexp(scores, dim=-1)
    print("torch:", [round(v, 4) for v in reference.tolist()])
    lse.sum().backward()
    for row in scores.grad.tolist():  # each row is a softmax
        print("grad :", [round(g, 4) for g in row])

# %% [markdown]
# ## 用 gradcheck 验证反向

# %%
import torch
from torch.autograd import gradcheck, gradgradcheck

gen = torch.Generator().manual_seed(0)
x64 = torch.randn(3, 5, generator=gen, dtype=torch.float64,
                  requires_grad=True)
print("gradcheck, float64:    ", gradcheck(LogSumExp.apply, (x64,)))
# backward is made of differentiable torch ops: differentiate it again
print("gradgradcheck, float64:", gradgradcheck(LogSumExp.apply, (x64,)))

# %%
import torch
from torch.autograd import gradcheck
from torch.autograd.gradcheck import GradcheckError


class ForgetsGradOutput(LogSumExp):
    """A common bug: backward ignores the incoming gradient grad_y."""

    @staticmethod
    def backward(ctx, grad_y):
        x, y = ctx.saved_tensors
        return (x - y.unsqueeze(-1)).exp()


gen = torch.Generator().manual_seed(0)
x_bug = torch.randn(3, 5, generator=gen, dtype=torch.float64,
                    requires_grad=True)
passed_bug = gradcheck(ForgetsGradOutput.apply, (x_bug,),
                       raise_exception=False)
print("gradcheck of the buggy backward:", passed_bug)
try:
    gradcheck(ForgetsGradOutput.apply, (x_bug,))
except GradcheckError as err:
    print("GradcheckError:", str(err).splitlines()[0])

# %%
import textwrap
import warnings

import torch
from torch.autograd import gradcheck

gen = torch.Generator().manual_seed(0)
x32 = torch.randn(3, 5, generator=gen, dtype=torch.float32,
                  requires_grad=True)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    passed = gradcheck(LogSumExp.apply, (x32,), raise_exception=False)
print("gradcheck, float32:", passed)  # the same, correct backward
message = "warning: " + str(caught[0].message).split(". ")[0]
print(textwrap.fill(message, 76, subsequent_indent="  "))

# %% [markdown]
# ## 前向模式还是反向模式，以及反向传播里的钩子
#
# ### 同一个雅可比矩阵，不同的遍数

# %%
import torch
from torch.func import jacfwd, jacrev, jvp, vjp


def mlp(n_in, n_out, hidden=64, seed=0, dtype=torch.float64):
    """f: R^n_in -> R^n_out, x -> W2 tanh(W1 x), with fixed random weights.
    f.calls counts how many times f itself runs."""
    if min(n_in, n_out, hidden) < 1:
        raise ValueError(f"sizes must be >= 1, got n_in={n_in}, n_out={n_out}, "
                         f"hidden={hidden}")
    gen = torch.Generator().manual_seed(seed)
    W1 = torch.randn(hidden, n_in, generator=gen, dtype=dtype) / n_in**0.5
    W2 = torch.randn(n_out, hidden, generator=gen, dtype=dtype) / hidden**0.5

    def f(x):
        f.calls += 1
        return W2 @ torch.tanh(W1 @ x)

    f.calls = 0
    return f


def _check_vector(x):
    if x.dim() != 1:
        raise ValueError(f"x must be a vector (a 1-D tensor), got shape {tuple(x.shape)}")


def jacobian_by_jvps(f, x):
    """Forward mode: column j of J is the JVP J e_j, one pass per input."""
    _check_vector(x)
    basis = torch.eye(x.numel(), dtype=x.dtype)
    return torch.stack([jvp(f, (x,), (e,))[1] for e in basis], dim=1)


def jacobian_by_vjps(f, x):
    """Reverse mode: one forward pass, then row i of J is the VJP e_i^T J."""
    _check_vector(x)
    y, pullback = vjp(f, x)  # runs f once and keeps what backward needs
    basis = torch.eye(y.numel(), dtype=y.dtype)
    return torch.stack([pullback(e)[0] for e in basis])


# %%
if __name__ == "__main__":
    gen = torch.Generator().manual_seed(1)
    for name, (n, m) in {"wide": (1000, 4), "tall": (4, 1000)}.items():
        f = mlp(n, m)
        x = torch.randn(n, generator=gen, dtype=torch.float64)
        jacobians, calls = {}, {}
        for how, jac in {"n JVPs": jacobian_by_jvps, "m VJPs": jacobian_by_vjps,
                         "jacfwd": lambda f, x: jacfwd(f)(x),
                         "jacrev": lambda f, x: jacrev(f)(x)}.items():
            f.calls = 0
            jacobians[how] = jac(f, x)
            calls[how] = f.calls
        J = jacobians["m VJPs"]
        agree = all(torch.allclose(other, J, rtol=0, atol=1e-14)
                    for other in jacobians.values())
        print(f"{name}: f maps R^{n} -> R^{m}, J is {tuple(J.shape)}")
        print("  calls of f:", ", ".join(f"{how} {c}" for how, c in calls.items()))
        print("  all four Jacobians agree to 1e-14:", agree)

# %% [markdown]
# ### 一遍的代价，以及要留下什么

# %%
import torch.autograd.forward_ad as fwAD
from torch.autograd.graph import saved_tensors_hooks

if __name__ == "__main__":
    f = mlp(1000, 4)
    x = torch.randn(1000, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    v = torch.zeros(1000, dtype=torch.float64)
    v[0] = 1.0  # the direction e_0: J v is the first column of J
    saved = []

    def pack(t):  # autograd calls this for every tensor it saves for backward
        saved.append(tuple(t.shape))
        return t

    with saved_tensors_hooks(pack, lambda t: t):
        with fwAD.dual_level():  # forward mode: every value carries its tangent
            y, Jv = fwAD.unpack_dual(f(fwAD.make_dual(x, v)))
        print("forward mode, J v =", [round(t, 4) for t in Jv.tolist()])
        print("  tensors saved for a backward pass:", saved)
        saved.clear()
        x_leaf = x.clone().requires_grad_()
        y = f(x_leaf)  # reverse mode: the forward pass records the graph
        print("reverse mode, tensors saved by the forward pass:", saved)
        u = torch.tensor([1.0, 0.0, 0.0, 0.0], dtype=torch.float64)
        (uJ,) = torch.autograd.grad(y, x_leaf, u)  # u^T J: the first row of J
        print("  u^T J has", uJ.numel(), "entries, first three:",
              [round(t, 4) for t in uJ[:3].tolist()])

# %% [markdown]
# ### 实测：jacfwd 对 jacrev

# %%
import json
from pathlib import Path

if __name__ == "__main__":
    data = json.loads(Path("jacobian.json").read_text())  # in the current folder
    m, s = data["machine"], data["settings"]
    print(f"{m['cpu']}, {m['threads']} thread, torch {m['torch']}; hidden {s['hidden']}, "
          f"few = {s['few']}; {s['rounds']} interleaved rounds")
    for shape, what in (("wide", "R^size -> R^few"), ("tall", "R^few -> R^size")):
        fwd = {r["size"]: r for r in data["results"][shape]["forward"]}
        rev = {r["size"]: r for r in data["results"][shape]["reverse"]}
        print(f"{shape} ({what}), ms per Jacobian: median [quartiles]")
        print("  size        jacfwd (forward)        jacrev (reverse)  fwd/rev"
              "  rounds reverse won")
        for n in s["sizes"]:
            f, r = fwd[n], rev[n]
            won = sum(tr < tf for tf, tr in zip(f["runs"], r["runs"], strict=True))
            cells = [f"{x['median'] * 1e3:.3f} [{x['q1'] * 1e3:.3f}-{x['q3'] * 1e3:.3f}]"
                     for x in (f, r)]
            print(f"{n:6d}{cells[0]:>24}{cells[1]:>24}{f['median'] / r['median']:9.3g}"
                  f"{won:11d} of {len(f['runs'])}")

# %% [markdown]
# ### 张量钩子：在反向传播中查看并替换梯度

# %%
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

# %%
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

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
# # 梯度检查点（Gradient Checkpointing）
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
    ('timings.json', '_src/snippets/gradient_checkpointing/measured/timings.json'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)


# %% [markdown]
# ## 问题
#
# ## 训练时显存花在哪里

# %%
def training_state_bytes(n_params, weights=2, grads=2, optimizer=12):
    """Bytes held for the whole of mixed-precision Adam training, any batch.

    16-bit weights (2 B) and gradients (2 B); Adam keeps an fp32 master
    copy of the weights and its moments m and v (4 + 4 + 4 = 12 B).
    """
    if n_params <= 0:
        raise ValueError(f"n_params must be positive, got {n_params!r}")
    return n_params * (weights + grads + optimizer)


if __name__ == "__main__":
    state = training_state_bytes(7e9)
    print(f"7B parameters x 16 B = {state / 1e9:.0f} GB before any activation")


# %%
def activation_bytes(seq, batch, hidden, heads, layers, attention="eager",
                     recompute="none", value_bytes=2, mask_bytes=1):
    """Activations of a GPT-style transformer, Korthikanti et al. (2022),
    Table 2: values of value_bytes (2 in the paper), dropout masks of
    mask_bytes (1 in the paper), no tensor or sequence parallelism.

    Per layer, 16*s*b*h values and 2*s*b*h mask entries that grow with h
    (34*s*b*h bytes in the paper), plus, when attention="eager" stores the
    s x s scores, per score the softmax output and the dropout output (a
    value each) and the dropout mask (5*a*s*s*b bytes in the paper).
    attention="flash" (a fused kernel such as F.scaled_dot_product_attention's
    flash backend) stores no s x s tensor.
    recompute="selective" recomputes the attention scores (the same bytes
    as "flash"); "full" keeps only each layer's input, 2*s*b*h.
    """
    sizes = {"seq": seq, "batch": batch, "hidden": hidden, "heads": heads,
             "layers": layers, "value_bytes": value_bytes,
             "mask_bytes": mask_bytes}
    for name, value in sizes.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if attention not in ("eager", "flash"):
        raise ValueError(f"attention must be 'eager' or 'flash', got {attention!r}")
    s, b, h, a = seq, batch, hidden, heads
    hidden_size = s * b * h * (16 * value_bytes + 2 * mask_bytes)
    scores = (a * s * s * b * (2 * value_bytes + mask_bytes)
              if attention == "eager" else 0)
    per_layer = {"none": hidden_size + scores,
                 "selective": hidden_size,
                 "full": s * b * h * value_bytes}
    if recompute not in per_layer:
        raise ValueError(f"recompute must be one of {sorted(per_layer)},"
                         f" got {recompute!r}")
    return layers * per_layer[recompute]


# %%
import math

if __name__ == "__main__":
    # The paper's GPT layer at LLaMA-7B's width, heads and depth
    # (Touvron et al. 2023); batch 1, 1-byte dropout masks as in the paper.
    shape = {"hidden": 4096, "heads": 32, "layers": 32}
    state = training_state_bytes(7e9) / 1e9
    print("batch 1   weights+grads+Adam   activations (GB)")
    print("seq len   (GB, fixed)          eager attention  flash attention"
          "  full recompute")
    for seq in (512, 1024, 2048, 4096, 8192):
        eager, flash = (activation_bytes(seq, 1, **shape, attention=kind) / 1e9
                        for kind in ("eager", "flash"))
        full = activation_bytes(seq, 1, **shape, recompute="full") / 1e9
        print(f"{seq:7d}   {state:9.0f}          {eager:15.1f}  {flash:15.1f}"
              f"  {full:14.2f}")
    per_token = activation_bytes(1, 1, **shape, attention="flash")
    print("flash attention: activations pass the state from seq",
          math.ceil(training_state_bytes(7e9) / per_token))

# %% [markdown]
# ## 三种策略

# %%
import math


def simulate(n, strategy, every=None):
    """Schedule forward, recompute and backward steps on a chain of n layers.

    a_0 is the input, a_i the output of layer i; the backward step of
    layer i needs a_(i-1). Strategies:
      "keep"      keep every a_i;
      "recompute" keep only a_0, recompute from it for every backward step;
      "segments"  keep every `every`-th a_i, recompute one segment at a
                  time and keep it until its backward steps are done.
    Returns (steps, held): steps[t] = (kind, layer); held[t] = outputs
    held after step t.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if strategy == "keep":
        checkpoints, keep_recomputed = set(range(n + 1)), True
    elif strategy == "recompute":
        checkpoints, keep_recomputed = {0}, False
    elif strategy == "segments":
        if not isinstance(every, int) or not 1 <= every <= n:
            raise ValueError(f"segments needs every in 1..{n}, got {every!r}")
        checkpoints, keep_recomputed = set(range(0, n + 1, every)), True
    else:
        raise ValueError("strategy must be 'keep', 'recompute' or"
                         f" 'segments', got {strategy!r}")

    held, steps, trace = {0}, [], []

    def step(kind, layer):
        steps.append((kind, layer))
        trace.append(len(held))

    for i in range(1, n + 1):  # forward; drop an input once used
        held.add(i)
        if i - 1 not in checkpoints:
            held.discard(i - 1)
        step("forward", i)
    for i in range(n, 0, -1):  # backward, last layer first
        if i - 1 not in held:  # recompute from the nearest held output
            j = max(k for k in held if k < i - 1)
            for m in range(j + 1, i):
                held.add(m)
                if not keep_recomputed and m - 1 not in checkpoints:
                    held.discard(m - 1)
                step("recompute", m)
        held.discard(i)
        step("backward", i)
    return steps, trace


if __name__ == "__main__":
    n = 16
    k = math.isqrt(n)
    print(f"n = {n} layers        forward computations   peak outputs held")
    for label, strategy, every in (("keep everything", "keep", None),
                                   ("recompute everything", "recompute", None),
                                   (f"checkpoint every {k}", "segments", k)):
        steps, held = simulate(n, strategy, every)
        computed = sum(kind != "backward" for kind, _ in steps)
        print(f"{label:22s} {computed:20d} {max(held):19d}")

# %% [markdown]
# ## 代码
#
# ### 一个 18 块的 MLP

# %%
import torch
from torch import nn

ACTIVATIONS = {"silu": nn.SiLU, "relu": nn.ReLU}


def make_mlp(n_blocks=18, width=16, activation="silu", dropout=0.0, seed=0):
    """n_blocks blocks of Linear(width, width) -> activation (-> Dropout)."""
    if not isinstance(n_blocks, int) or n_blocks < 1:
        raise ValueError(f"n_blocks must be a positive int, got {n_blocks!r}")
    if not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be a positive int, got {width!r}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)},"
                         f" got {activation!r}")
    torch.manual_seed(seed)
    blocks = []
    for _ in range(n_blocks):
        layers = [nn.Linear(width, width), ACTIVATIONS[activation]()]
        if dropout:
            layers.append(nn.Dropout(dropout))
        blocks.append(nn.Sequential(*layers))
    return nn.Sequential(*blocks)


def count_forward_calls(model):
    """Count the forward calls of every block; the list updates as blocks run."""
    calls = [0] * len(model)

    def bump(index):
        def hook(module, args):
            calls[index] += 1
        return hook

    for index, block in enumerate(model):
        block.register_forward_pre_hook(bump(index))
    return calls


if __name__ == "__main__":
    model = make_mlp()
    calls = count_forward_calls(model)
    x = torch.randn(512, 16, generator=torch.Generator().manual_seed(1))
    model(x).sum().backward()
    n_params = sum(p.numel() for p in model.parameters())
    print("blocks:", len(model), " parameters:", n_params)
    print("forward calls per block:", calls)

# %% [markdown]
# ### 数一数为反向保存的字节

# %%
import torch


def saved_bytes(run, model):
    """Call run(); return (its result, bytes autograd keeps for backward).

    Each storage counts once and parameters are left out: what is left
    is activations.
    """
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    kept = {}

    def pack(tensor):
        storage = tensor.untyped_storage()
        if storage.data_ptr() not in params:
            kept[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        result = run()
    return result, sum(kept.values())


if __name__ == "__main__":
    from torch import nn

    block = nn.Sequential(nn.Linear(16, 16), nn.SiLU())
    x = torch.randn(512, 16, generator=torch.Generator().manual_seed(1))
    out, nbytes = saved_bytes(lambda: block(x), block)
    unit = x.numel() * x.element_size()
    print(f"one 512x16 float32 tensor: {unit // 1024} KiB")
    print(f"one block keeps {nbytes // 1024} KiB = {nbytes / unit:.0f} such"
          " tensors (Linear input, SiLU input)")

# %%
import weakref

import torch
from torch.utils._python_dispatch import TorchDispatchMode


def _tensors(obj):
    if isinstance(obj, torch.Tensor):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _tensors(item)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _tensors(item)


class LiveBytes(TorchDispatchMode):
    """Bytes of the tensor storages created while active, and their peak.

    A storage counts from the operation that creates it until it is freed,
    so the peak covers forward, backward and any recomputation.
    """

    def __init__(self):
        super().__init__()
        self.now = self.peak = 0
        self._alive = {}

    def _freed(self, key, nbytes):
        self._alive.pop(key, None)
        self.now -= nbytes

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        # An output sharing an input's storage (a view, an in-place op)
        # is no new memory.
        inputs = {t.untyped_storage().data_ptr()
                  for t in _tensors((args, kwargs))}
        for tensor in _tensors(out):
            storage = tensor.untyped_storage()
            key, nbytes = storage.data_ptr(), storage.nbytes()
            if nbytes and key not in inputs and key not in self._alive:
                self._alive[key] = weakref.finalize(
                    storage, self._freed, key, nbytes)
                self.now += nbytes
                self.peak = max(self.peak, self.now)
        return out


if __name__ == "__main__":
    model = make_mlp()
    x = torch.randn(512, 16, generator=torch.Generator().manual_seed(1))
    unit = x.numel() * x.element_size()
    with LiveBytes() as meter:
        out = model(x)
        after_forward = meter.now
        out.sum().backward()
    print(f"live after forward: {after_forward / unit:.2f} tensors of 512x16")
    print(f"peak over forward + backward: {meter.peak / unit:.2f}")

# %% [markdown]
# ### 每块一个检查点

# %%
import torch
from torch.utils.checkpoint import checkpoint


def run_plain(model, x):
    return model(x)


def run_each_block_checkpointed(model, x):
    h = x
    for block in model:
        # use_reentrant=False: the implementation PyTorch recommends
        h = checkpoint(block, h, use_reentrant=False)
    return h


def train_step(run, seed=0):
    """Forward + backward of a fresh, identically seeded model. Returns
    (loss, gradients, bytes saved for backward, forward calls per block)."""
    model = make_mlp(seed=seed)
    calls = count_forward_calls(model)
    x = torch.randn(512, 16, generator=torch.Generator().manual_seed(1))
    out, nbytes = saved_bytes(lambda: run(model, x), model)
    loss = out.square().mean()
    loss.backward()
    return loss.item(), [p.grad for p in model.parameters()], nbytes, calls


def bitwise_equal(grads_a, grads_b):
    return all(torch.equal(a, b) for a, b in zip(grads_a, grads_b, strict=True))


if __name__ == "__main__":
    unit = 512 * 16 * 4
    loss0, grads0, bytes0, calls0 = train_step(run_plain)
    loss1, grads1, bytes1, calls1 = train_step(run_each_block_checkpointed)
    print("same loss:", loss0 == loss1)
    print("gradients bitwise equal:", bitwise_equal(grads0, grads1))
    print(f"saved for backward: plain {bytes0 / unit:.0f},"
          f" checkpointed {bytes1 / unit:.0f} tensors")
    print("forward calls, plain:        ", calls0)
    print("forward calls, checkpointed: ", calls1)

# %% [markdown]
# ### checkpoint_sequential

# %%
from torch.utils.checkpoint import checkpoint_sequential


def run_in_segments(segments):
    def run(model, x):
        return checkpoint_sequential(model, segments, x, use_reentrant=False)
    return run


if __name__ == "__main__":
    unit = 512 * 16 * 4
    _, grads0, bytes0, _ = train_step(run_plain)
    _, grads6, bytes6, calls6 = train_step(run_in_segments(6))
    print("gradients bitwise equal:", bitwise_equal(grads0, grads6))
    print(f"saved for backward: plain {bytes0 / unit:.0f},"
          f" 6 segments {bytes6 / unit:.0f} tensors"
          f" ({bytes6 / bytes0:.2f} of plain)")
    print("forward calls, 6 segments:", calls6)

# %% [markdown]
# ## 验证
#
# ### 在一个 Transformer 层上验证公式

# %%
import torch
import torch.nn.functional as F
from torch import nn


class GPTLayer(nn.Module):
    """x + Dropout(Attention(LayerNorm(x))), then x + Dropout(MLP(LayerNorm(x))).

    attention="eager" computes softmax(Q K^T / sqrt(d)), dropout, then @ V,
    so autograd can keep the s x s scores; attention="sdpa" makes one call
    to F.scaled_dot_product_attention.
    """

    def __init__(self, hidden, heads, attention="eager", dropout=0.1,
                 attention_dropout=0.1):
        super().__init__()
        if attention not in ("eager", "sdpa"):
            raise ValueError(f"attention must be 'eager' or 'sdpa', got {attention!r}")
        if hidden % heads:
            raise ValueError(f"heads ({heads}) must divide hidden ({hidden})")
        self.heads, self.attention = heads, attention
        self.dropout, self.attention_dropout = dropout, attention_dropout
        self.norm1, self.norm2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.fc1, self.fc2 = nn.Linear(hidden, 4 * hidden), nn.Linear(4 * hidden, hidden)

    def attend(self, x):
        b, s, h = x.shape
        q, k, v = (self.qkv(x).view(b, s, 3, self.heads, h // self.heads)
                   .permute(2, 0, 3, 1, 4))  # each (b, heads, s, d)
        p = self.attention_dropout if self.training else 0.0
        if self.attention == "eager":
            scores = q @ k.transpose(-2, -1) / (h // self.heads) ** 0.5
            y = F.dropout(scores.softmax(dim=-1), p) @ v
        else:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p)
        return self.out(y.transpose(1, 2).reshape(b, s, h))

    def forward(self, x):
        p = self.dropout if self.training else 0.0
        x = x + F.dropout(self.attend(self.norm1(x)), p)
        return x + F.dropout(self.fc2(F.gelu(self.fc1(self.norm2(x)))), p)


# %%
import contextlib

import torch
from torch.nn.attention import SDPBackend, sdpa_kernel

CASES = {  # name: (attention, its dropout, SDPA backend forced, formula)
    "eager, dropout 0.1": ("eager", 0.1, None, "eager"),
    "sdpa, dropout 0.1": ("sdpa", 0.1, None, "eager"),
    "sdpa flash, no dropout": ("sdpa", 0.0, SDPBackend.FLASH_ATTENTION, "flash"),
}


def layer_saved_bytes(case, seq, batch=2, hidden=64, heads=4):
    """Bytes one float32 GPTLayer saves for backward (parameters left out)."""
    attention, attention_dropout, backend, _ = CASES[case]
    torch.manual_seed(0)
    layer = GPTLayer(hidden, heads, attention, dropout=0.1,
                     attention_dropout=attention_dropout)
    x = torch.randn(batch, seq, hidden, requires_grad=True)
    kernel = sdpa_kernel(backend) if backend else contextlib.nullcontext()
    with kernel:
        _, nbytes = saved_bytes(lambda: layer(x), layer)
    return nbytes


if __name__ == "__main__":
    b, h, a = 2, 64, 4
    print(f"one GPT layer, float32, batch {b}, hidden {h}, {a} heads, on CPU;"
          " formula with 4-byte values and masks")
    print("case                     seq   saved B  formula B  rest B/token")
    for case, (*_, kind) in CASES.items():
        for seq in (32, 64, 128):
            nbytes = layer_saved_bytes(case, seq, b, h, a)
            formula = activation_bytes(seq, b, h, a, layers=1, attention=kind,
                                       value_bytes=4, mask_bytes=4)
            rest = (nbytes - formula) / (seq * b)
            print(f"{case:23s} {seq:4d}  {nbytes:8d}  {formula:9d}"
                  f"  {rest:12.0f}")

# %% [markdown]
# ### 段数扫描

# %%
import contextlib

import torch
from torch.utils.checkpoint import checkpoint, checkpoint_sequential


def measure_once(segments, n_blocks=18, activation="silu", batch=512,
                 width=16, peak=True):
    """One forward + backward; segments=None wraps every block in checkpoint.

    Returns {"saved": bytes saved for backward, "peak": live peak bytes
    (None unless peak), "extra_forwards": block forwards beyond n_blocks}.
    """
    if segments is not None and not (
            isinstance(segments, int) and 1 <= segments <= n_blocks):
        raise ValueError(f"segments must be an int in 1..{n_blocks} or None,"
                         f" got {segments!r}")
    model = make_mlp(n_blocks, width, activation)
    calls = count_forward_calls(model)
    x = torch.randn(batch, width, generator=torch.Generator().manual_seed(1))

    def run():
        if segments is None:
            h = x
            for block in model:
                h = checkpoint(block, h, use_reentrant=False)
            return h
        return checkpoint_sequential(model, segments, x, use_reentrant=False)

    meter = LiveBytes() if peak else contextlib.nullcontext()
    with meter:
        out, kept = saved_bytes(run, model)
        out.sum().backward()
    return {"saved": kept, "peak": meter.peak if peak else None,
            "extra_forwards": sum(calls) - n_blocks}


def predicted_saved(segments, n_blocks=18, per_block=2, boundary=1):
    """(segments - 1) segment inputs + every tensor of the last segment.
    PyTorch gives each segment n // segments blocks; the last takes the rest."""
    last = n_blocks - (segments - 1) * (n_blocks // segments)
    return (segments - 1) * boundary + last * per_block


if __name__ == "__main__":
    unit = 512 * 16 * 4  # one 512x16 float32 tensor
    print("segments  saved  predicted  peak  extra block forwards")
    for s in range(1, 19):
        r = measure_once(s)
        print(f"{s:8d}  {r['saved'] / unit:5.0f}  {predicted_saved(s):9d}"
              f"  {r['peak'] / unit:4.1f}  {r['extra_forwards']:3d}")
    r = measure_once(None)
    print(f"   every  {r['saved'] / unit:5.0f}  {'-':>9}"
          f"  {r['peak'] / unit:4.1f}  {r['extra_forwards']:3d}")

# %% [markdown]
# ### 最优段数：√(2n) 从哪里来

# %%
import math

if __name__ == "__main__":
    # SiLU block: keeps the Linear input and the SiLU input, a = 2b.
    # ReLU block: keeps its output (= the next block's input), a = b.
    for activation, n, a_over_b in (("silu", 18, 2), ("relu", 16, 1)):
        saved = {s: measure_once(s, n, activation, peak=False)["saved"]
                 for s in range(1, n + 1)}
        best = min(saved, key=saved.get)
        print(f"{activation}: n={n}, a/b={a_over_b},"
              f" sqrt(n*a/b)={math.sqrt(n * a_over_b):.2f},"
              f" measured best s={best} ({saved[best] / saved[1]:.2f} of plain)")

# %% [markdown]
# ### 时间代价

# %%
import json
import statistics
from pathlib import Path


def quartiles(values):
    """(lower quartile, median, upper quartile)."""
    return tuple(statistics.quantiles(values, n=4, method="inclusive"))


def per_round(data):
    """{segments: (time / plain, extra time in forward passes), each a list
    over the rounds}; a run is compared with the plain run of its own round."""
    plain = data["rows"][0]["round_seconds"]
    forward = data["forward_round_seconds"]
    return {row["segments"]: (
        [t / p for t, p in zip(row["round_seconds"], plain, strict=True)],
        [(t - p) / f for t, p, f in zip(row["round_seconds"], plain, forward,
                                        strict=True)])
        for row in data["rows"]}


if __name__ == "__main__":
    path = Path("timings.json")  # measured by measure.py; downloaded beside this code
    data = json.loads(path.read_text())
    m, c = data["machine"], data["config"]
    print(f"{m['cpu']}, {m['threads']} thread, torch {m['torch']}")
    print(f"{c['n_blocks']} blocks of width {c['width']}, batch {c['batch']},"
          f" {c['rounds']} rounds: median [quartiles]")
    print("segments  saved MiB  time / plain         extra time (forwards)"
          "  recomputed blocks / n")
    rows = {row["segments"]: row for row in data["rows"]}
    for segments, (ratio, extra) in per_round(data).items():
        label = "every" if segments is None else segments
        r, e = quartiles(ratio), quartiles(extra)
        row = rows[segments]
        print(f"{label:>8}  {row['saved_bytes'] / 2**20:9.1f}"
              f"  {r[1]:.2f} [{r[0]:.2f}, {r[2]:.2f}]"
              f"     {e[1]:5.2f} [{e[0]:5.2f}, {e[2]:5.2f}]"
              f"  {row['extra_forwards'] / c['n_blocks']:21.2f}")

# %% [markdown]
# ### Dropout 与随机数状态

# %%
import torch
from torch.utils.checkpoint import checkpoint


def dropout_gradients(checkpointed, preserve_rng_state=True):
    """Gradients of a 4-block MLP with Dropout(0.5) after each block."""
    model = make_mlp(n_blocks=4, width=32, dropout=0.5, seed=0)
    x = torch.randn(64, 32, generator=torch.Generator().manual_seed(1))
    torch.manual_seed(123)  # dropout draws from the global generator
    h = x
    for block in model:
        if checkpointed:
            h = checkpoint(block, h, use_reentrant=False,
                           preserve_rng_state=preserve_rng_state)
        else:
            h = block(h)
    h.square().mean().backward()
    return torch.cat([p.grad.flatten() for p in model.parameters()])


if __name__ == "__main__":
    plain = dropout_gradients(checkpointed=False)
    kept = dropout_gradients(checkpointed=True, preserve_rng_state=True)
    lost = dropout_gradients(checkpointed=True, preserve_rng_state=False)
    print("preserve_rng_state=True,  bitwise equal to plain:",
          torch.equal(plain, kept))
    print("preserve_rng_state=False, bitwise equal to plain:",
          torch.equal(plain, lost))
    print(f"largest |difference| with False: {(plain - lost).abs().max():.4f}"
          f" (largest gradient {plain.abs().max():.4f})")

# %% [markdown]
# ## 给整叠 GPT 层做检查点：s² 项还在

# %%
import contextlib

import torch
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.checkpoint import checkpoint

SEQS = (128, 256, 512, 1024)


def stack_memory(attention, checkpointed, seq, layers=4, batch=2,
                 hidden=64, heads=4):
    """One float32 forward + backward through `layers` GPTLayers.

    attention="eager" or "flash" (SDPA with the flash kernel forced); no
    attention dropout in either, so the two compute the same function.
    Returns (bytes saved for backward, peak live bytes over the step).
    """
    if attention not in ("eager", "flash"):
        raise ValueError(f"attention must be 'eager' or 'flash', got {attention!r}")
    torch.manual_seed(0)
    kind = "eager" if attention == "eager" else "sdpa"
    stack = nn.Sequential(*[GPTLayer(hidden, heads, kind, attention_dropout=0.0)
                            for _ in range(layers)])
    x = torch.randn(batch, seq, hidden, requires_grad=True)

    def run():
        h = x
        for layer in stack:
            h = checkpoint(layer, h, use_reentrant=False) if checkpointed else layer(h)
        return h

    flash = sdpa_kernel(SDPBackend.FLASH_ATTENTION)
    with (flash if attention == "flash" else contextlib.nullcontext()):
        with LiveBytes() as meter:
            out, kept = saved_bytes(run, stack)
            out.sum().backward()
    return kept, meter.peak


if __name__ == "__main__":
    mib = 2 ** 20
    print("4 GPT layers, float32, batch 2, hidden 64, 4 heads; MiB saved for"
          " backward / peak over forward + backward")
    print("  seq        eager   eager+ckpt        flash   flash+ckpt")
    for seq in SEQS:
        cells = []
        for attention in ("eager", "flash"):
            for checkpointed in (False, True):
                kept, peak = stack_memory(attention, checkpointed, seq)
                cells.append(f"{kept / mib:5.1f}/{peak / mib:5.1f}")
        print(f"{seq:5d}  " + "  ".join(f"{c:>11s}" for c in cells))

# %% [markdown]
# ## 常见陷阱
#
# ### 总是传 use_reentrant=False
#
# ### 重算会把前向再跑一遍，包括副作用

# %%
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(8, 4, requires_grad=True)
    plain_bn, checkpointed_bn = nn.BatchNorm1d(4), nn.BatchNorm1d(4)
    plain_bn(x).sum().backward()
    checkpoint(checkpointed_bn, x, use_reentrant=False).sum().backward()
    print("batches tracked, plain:       ",
          plain_bn.num_batches_tracked.item())
    print("batches tracked, checkpointed:",
          checkpointed_bn.num_batches_tracked.item())
    print("running means equal:",
          torch.equal(plain_bn.running_mean, checkpointed_bn.running_mean))

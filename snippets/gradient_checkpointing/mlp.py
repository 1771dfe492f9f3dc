"""The model every example uses, and two meters: saved bytes and the live peak."""

# --8<-- [start:mlp_blocks]
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
# --8<-- [end:mlp_blocks]


# --8<-- [start:saved_bytes]
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
# --8<-- [end:saved_bytes]


# needs: mlp_blocks
# --8<-- [start:live_peak]
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
# --8<-- [end:live_peak]

"""checkpoint_sequential over 1..n segments: saved bytes, peak, recompute, optimum."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.gradient_checkpointing.mlp import LiveBytes, count_forward_calls, make_mlp, saved_bytes

# needs: mlp.py:mlp_blocks, mlp.py:saved_bytes, mlp.py:live_peak
# --8<-- [start:segment_sweep]
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
# --8<-- [end:segment_sweep]


# needs: segment_sweep
# --8<-- [start:optimum]
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
# --8<-- [end:optimum]

"""A stack of GPT layers: saved bytes and peak against sequence length, eager or flash
attention, each layer checkpointed or not."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.gradient_checkpointing.attention import GPTLayer
from snippets.gradient_checkpointing.mlp import LiveBytes, saved_bytes

# needs: attention.py:gpt_layer, mlp.py:saved_bytes, mlp.py:live_peak
# --8<-- [start:stack_memory]
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
# --8<-- [end:stack_memory]

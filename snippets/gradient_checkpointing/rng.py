"""Dropout inside a checkpoint: the recompute must draw the forward's mask."""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.gradient_checkpointing.mlp import make_mlp

# needs: mlp.py:mlp_blocks
# --8<-- [start:dropout_rng]
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
# --8<-- [end:dropout_rng]

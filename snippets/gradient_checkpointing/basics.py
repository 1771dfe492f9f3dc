"""torch.utils.checkpoint on the 18-block MLP: same gradients, fewer saved bytes."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.gradient_checkpointing.mlp import count_forward_calls, make_mlp, saved_bytes

# needs: mlp.py:mlp_blocks, mlp.py:saved_bytes
# --8<-- [start:checkpoint_each_block]
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
# --8<-- [end:checkpoint_each_block]


# needs: checkpoint_each_block
# --8<-- [start:checkpoint_sequential_segments]
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
# --8<-- [end:checkpoint_sequential_segments]


# --8<-- [start:side_effects_run_twice]
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
# --8<-- [end:side_effects_run_twice]

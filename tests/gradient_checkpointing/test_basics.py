import pytest
import torch

from snippets.gradient_checkpointing.basics import (
    run_each_block_checkpointed,
    run_in_segments,
    run_plain,
    train_step,
)

UNIT = 512 * 16 * 4


@pytest.fixture(scope="module")
def plain():
    return train_step(run_plain)


def test_checkpointing_every_block_gives_bitwise_equal_loss_and_gradients(plain):
    loss, grads, _, _ = train_step(run_each_block_checkpointed)
    assert loss == plain[0]
    assert all(torch.equal(a, b) for a, b in zip(plain[1], grads, strict=True))


def test_checkpointing_every_block_halves_the_saved_bytes(plain):
    _, _, nbytes, _ = train_step(run_each_block_checkpointed)
    assert plain[2] == 36 * UNIT
    assert nbytes == 18 * UNIT  # one input per block instead of two tensors per block


def test_checkpointed_blocks_run_forward_twice(plain):
    _, _, _, calls = train_step(run_each_block_checkpointed)
    assert plain[3] == [1] * 18
    assert calls == [2] * 18


@pytest.mark.parametrize("segments", range(1, 19))
def test_checkpoint_sequential_gives_bitwise_equal_gradients(plain, segments):
    _, grads, _, _ = train_step(run_in_segments(segments))
    assert all(torch.equal(a, b) for a, b in zip(plain[1], grads, strict=True))


def test_six_segments_keep_11_of_36_tensors_and_skip_recomputing_the_last(plain):
    _, _, nbytes, calls = train_step(run_in_segments(6))
    assert nbytes == 11 * UNIT
    assert calls == [2] * 15 + [1] * 3


def test_batchnorm_inside_a_checkpoint_updates_its_running_statistics_twice():
    from torch import nn
    from torch.utils.checkpoint import checkpoint

    torch.manual_seed(0)
    x = torch.randn(8, 4, requires_grad=True)
    plain_bn, checkpointed_bn = nn.BatchNorm1d(4), nn.BatchNorm1d(4)
    plain_bn(x).sum().backward()
    y = checkpoint(checkpointed_bn, x, use_reentrant=False)
    assert checkpointed_bn.num_batches_tracked.item() == 1  # forward: once
    y.sum().backward()
    assert plain_bn.num_batches_tracked.item() == 1
    assert checkpointed_bn.num_batches_tracked.item() == 2  # the recompute ran it again
    assert not torch.equal(plain_bn.running_mean, checkpointed_bn.running_mean)


def test_batchnorm_inside_a_checkpoint_gives_the_same_gradients():
    # The page: the second update changes the statistics, not this step's gradients.
    from torch import nn
    from torch.utils.checkpoint import checkpoint

    torch.manual_seed(0)
    x, w = torch.randn(8, 4), torch.randn(8, 4)
    grads = []
    for wrap in (lambda bn, x: bn(x), lambda bn, x: checkpoint(bn, x, use_reentrant=False)):
        bn, xi = nn.BatchNorm1d(4), x.clone().requires_grad_()
        (wrap(bn, xi) * w).sum().backward()
        grads.append((xi.grad, bn.weight.grad, bn.bias.grad))
    assert all(torch.equal(a, b) for a, b in zip(*grads, strict=True))


def test_omitting_use_reentrant_warns_in_this_pytorch():
    import pytest
    from torch import nn
    from torch.utils.checkpoint import checkpoint

    layer = nn.Linear(2, 2)
    with pytest.warns(UserWarning, match="use_reentrant parameter should be passed explicitly"):
        checkpoint(layer, torch.ones(1, 2, requires_grad=True))


def test_omitting_use_reentrant_still_runs_the_reentrant_implementation():
    # Reentrant checkpoint: no input requires grad, so the output does not either and the
    # parameters inside get no gradient; the non-reentrant one tracks them.
    import warnings

    from torch import nn
    from torch.utils.checkpoint import checkpoint

    layer = nn.Linear(2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        omitted = checkpoint(layer, torch.ones(1, 2))
        reentrant = checkpoint(layer, torch.ones(1, 2), use_reentrant=True)
    assert not omitted.requires_grad and not reentrant.requires_grad
    assert checkpoint(layer, torch.ones(1, 2), use_reentrant=False).requires_grad

"""What DDP does, checked inside real processes (run by run_workers from launch.py).

Each function here runs on every rank of a gloo process group started with env://.
tests/ddp/test_checks.py and measure.py launch them and compare the ranks' results
with one process doing the same work alone.
"""

import contextlib
import gc
import io
from datetime import timedelta

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

# On the page make_data and make_model come from train.py's block, which `# needs:` names.
from snippets.ddp.ring import ring_allreduce
from snippets.ddp.train import main as train_main
from snippets.ddp.train import make_data, make_model


def flat(tensors):
    return torch.cat([t.detach().reshape(-1) for t in tensors])


# --8<-- [start:broadcast_check]
import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def parameters_before_and_after_wrapping(rank):
    """Give each rank different weights and buffers, wrap the model, look again."""
    torch.manual_seed(100 + rank)  # a different initialisation on every rank
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
    model[1].running_mean.fill_(float(rank))  # a buffer, not a parameter
    before = [t.clone() for t in model.state_dict().values()]
    DDP(model)  # the constructor broadcasts rank 0's parameters and buffers
    after = [t.clone() for t in model.state_dict().values()]
    return before, after
# --8<-- [end:broadcast_check]


# needs: train.py:ddp_script
# --8<-- [start:gradient_check]
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def ddp_gradient(rank, world, batch=16):
    """One backward pass on this rank's rows; return what DDP leaves in .grad."""
    x, y = make_data()[rank * batch:(rank + 1) * batch]  # rank r's own rows
    model = DDP(make_model())
    nn.functional.mse_loss(model(x), y).backward()  # the all-reduce runs in here
    return [p.grad.clone() for p in model.parameters()]


def full_batch_gradient(world, batch=16):
    """The same rows, all of them, in one process without DDP."""
    x, y = make_data()[: world * batch]
    model = make_model()
    nn.functional.mse_loss(model(x), y).backward()
    return [p.grad.clone() for p in model.parameters()]
# --8<-- [end:gradient_check]


# needs: train.py:ddp_script
# --8<-- [start:no_sync_check]
import contextlib

from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def accumulated_gradient(rank, world, micro=8, steps=4):
    """Accumulate `steps` micro-batches; only the last backward communicates."""
    data = make_data()
    model = DDP(make_model())
    local = None
    for k in range(steps):
        start = (rank * steps + k) * micro
        x, y = data[start:start + micro]
        sync = k == steps - 1
        with contextlib.nullcontext() if sync else model.no_sync():
            # Forward and backward inside; dividing by `steps` makes the sum a mean.
            (nn.functional.mse_loss(model(x), y) / steps).backward()
        if k == 0:
            local = [p.grad.clone() for p in model.parameters()]  # not averaged yet
    return local, [p.grad.clone() for p in model.parameters()]
# --8<-- [end:no_sync_check]


def forward_outside_no_sync(rank, world, batch=16):
    """The mistake the no_sync docs warn about: forward outside, backward inside."""
    x, y = make_data()[rank * batch:(rank + 1) * batch]
    model = DDP(make_model())
    loss = nn.functional.mse_loss(model(x), y)  # forward outside no_sync()
    with model.no_sync():
        loss.backward()
    return [p.grad.clone() for p in model.parameters()]


def bucket_layout(rank, world, layers=28, width=512):
    """Which parameters DDP puts in each bucket, with the default bucket sizes, in each of
    three backward passes. Each Linear(512, 512) holds 1 MiB + 2 KiB of float32."""
    model = nn.Sequential(*[nn.Linear(width, width) for _ in range(layers)])
    name = {id(p): n for n, p in model.named_parameters()}
    ddp = DDP(model)
    seen = []

    def record(state, bucket):  # a comm hook that only looks: the layout is what we want
        seen[-1].append([name[id(p)] for p in bucket.parameters()])
        done = torch.futures.Future()
        done.set_result(bucket.buffer())
        return done

    ddp.register_comm_hook(None, record)
    x = torch.randn(2, width)
    for _ in range(3):
        seen.append([])
        ddp(x).sum().backward()
    return {"buckets": seen, "bucket_bytes_cap": ddp.bucket_bytes_cap,
            "first_bucket_bytes": dist._DEFAULT_FIRST_BUCKET_BYTES}


def buffers_at_forward(rank, world):
    """Buffers are sent from rank 0 at every forward; BatchNorm still uses local statistics."""
    model = DDP(nn.BatchNorm1d(3, momentum=0.5))  # new running_mean = (old + batch mean) / 2
    model.module.running_mean.fill_(float(rank))  # the ranks' buffers drift apart...
    g = torch.Generator().manual_seed(rank)
    x = torch.randn(8, 3, generator=g) + rank  # ...and each rank has its own data
    before = model.module.running_mean.clone()
    out = model(x)  # rank 0's running_mean is broadcast first, then updated locally
    return {"before": before, "after": model.module.running_mean.clone(), "x": x,
            "out_mean": out.detach().mean(0)}


def ring_results(rank, world, lengths=(7, 10, 11)):
    """Hand-written ring all-reduce next to dist.all_reduce, for each tensor length."""
    out = {}
    for n in lengths:
        g = torch.Generator().manual_seed(1000 * rank + n)
        x = torch.randn(n, dtype=torch.float64, generator=g)
        trace = []
        mine = ring_allreduce(x.clone(), trace)
        theirs = x.clone()
        dist.all_reduce(theirs)
        out[n] = {"ring": mine, "all_reduce": theirs, "trace": trace}
    try:
        ring_allreduce(torch.ones(world - 1))
    except ValueError as err:
        out["too_short"] = str(err)
    return out


def same_samples_one_process(world, epochs=2, batch=32, lr=0.05):
    """What DDP with `world` ranks of `batch` rows computes, alone, with world * batch.

    DistributedSampler shuffles with seed + epoch, pads the order by repeating its
    start until it splits evenly, and gives rank r the positions r, r + world, ...
    Step k of all ranks together therefore covers the positions
    k * world * batch ... (k + 1) * world * batch - 1.
    """
    data, model = make_data(), make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        g = torch.Generator().manual_seed(epoch)
        order = torch.randperm(len(data), generator=g).tolist()
        order += order[: -len(order) % world]
        per_rank = len(order) // world
        for start in range(0, per_rank, batch):
            x, y = data[order[start * world: min(start + batch, per_rank) * world]]
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def all_checks(rank, world, out_dir, epochs=2):
    """Every multi-process check in one launch: start-up is the expensive part.

    The checks share one group; train.py then starts its own through env://. The checks'
    group meets in a file of its own: a second env:// group on the same store would find
    the first group's stale addresses under the same keys.
    """
    dist.init_process_group("gloo", init_method=f"file://{out_dir}/checks.rdzv",
                            rank=rank, world_size=world, timeout=timedelta(seconds=30))
    results = {
        "broadcast": parameters_before_and_after_wrapping(rank),
        "gradient": ddp_gradient(rank, world),
        "no_sync": accumulated_gradient(rank, world),
        "forward_outside_no_sync": forward_outside_no_sync(rank, world),
        "buckets": bucket_layout(rank, world) if world == 2 else None,  # 28 MiB: once is enough
        "buffers": buffers_at_forward(rank, world),
        "ring": ring_results(rank, world),
        "world_size": dist.get_world_size(),
    }
    gc.collect()  # free the checks' DDP wrappers before the group (see train.py)
    dist.destroy_process_group()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # train.py starts and ends its own group
        model = train_main(["--epochs", str(epochs), "--out", str(out_dir)])
    results["trained"] = [p.detach().clone() for p in model.parameters()]
    results["printed"] = printed.getvalue()
    return results

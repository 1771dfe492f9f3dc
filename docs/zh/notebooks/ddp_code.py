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
# # DistributedDataParallel 快速上手
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
    ('train_single.py', '_src/snippets/ddp/train_single.py'),
    ('train.py', '_src/snippets/ddp/train.py'),
    ('launch.json', '_src/snippets/ddp/measured/launch.json'),
    ('exit_abort.json', '_src/snippets/ddp/measured/exit_abort.json'),
]:
    if not Path(name).exists():
        urllib.request.urlretrieve(site + url, name)


# %% [markdown]
# ## 问题
#
# ## 思路
#
# ### 每个设备一个进程
#
# ### DDP 包装器做了什么
#
# ### 环形 all-reduce

# %%
def ring_schedule(rank, world):
    """What one rank does at each step: (phase, step, chunk sent, chunk received).

    The data is cut into `world` chunks. Every rank sends to rank + 1 and receives
    from rank - 1. After the reduce-scatter rank r owns the full sum of chunk r + 1;
    the all-gather then passes the finished chunks once around the ring.
    """
    if not 0 <= rank < world:
        raise ValueError(f"rank {rank} is not in 0..{world - 1}")
    steps = []
    for s in range(world - 1):
        steps.append(("reduce-scatter", s, (rank - s) % world, (rank - s - 1) % world))
    for s in range(world - 1):
        steps.append(("all-gather", s, (rank + 1 - s) % world, (rank - s) % world))
    return steps


def ring_cost(world, nbytes):
    """Steps and bytes each rank sends: 2(N-1) steps, 2(N-1)/N of the data."""
    return 2 * (world - 1), 2 * (world - 1) * nbytes / world


if __name__ == "__main__":
    world = 3
    for k in range(2 * (world - 1)):
        row = [ring_schedule(r, world)[k] for r in range(world)]
        cells = [f"r{r}: send c{s[2]} recv c{s[3]}" for r, s in enumerate(row)]
        print(f"step {k + 1} {row[0][0]:<15}  " + "  ".join(cells))
    steps, sent = ring_cost(world=4, nbytes=1_000_000)
    print(f"N=4, 1,000,000 bytes per rank: {steps} steps, {sent:,.0f} bytes sent each")

# %%
import torch


def simulate_ring(tensors):
    """Run every rank's ring schedule in one process, in lockstep.

    tensors[r] is rank r's data. Returns (result, frames): frames[k] is
    (phase, the chunk each rank sends at step k, each rank's data after step k).
    """
    world = len(tensors)
    data = [t.clone().view(-1) for t in tensors]
    chunks = [torch.tensor_split(d, world) for d in data]
    schedules = [ring_schedule(r, world) for r in range(world)]
    frames = []
    for k in range(2 * (world - 1)):
        phase = schedules[0][k][0]
        sends = [schedules[r][k][2] for r in range(world)]
        # All ranks send at once: copy every outgoing chunk before anyone writes.
        outgoing = [chunks[r][sends[r]].clone() for r in range(world)]
        for r in range(world):
            recv_i, incoming = schedules[r][k][3], outgoing[(r - 1) % world]
            if phase == "reduce-scatter":
                chunks[r][recv_i].add_(incoming)
            else:
                chunks[r][recv_i].copy_(incoming)
        frames.append((phase, sends, [d.clone() for d in data]))
    return [d.view_as(t) for d, t in zip(data, tensors, strict=True)], frames


if __name__ == "__main__":
    # Rank r holds 10**r: the digits of a sum show which ranks it contains.
    world = 3
    start = [torch.full((world,), 10.0**r) for r in range(world)]
    result, frames = simulate_ring(start)
    def row(data):  # each rank's three chunks
        return "  |  ".join(" ".join(f"{int(v):>3}" for v in d) for d in data)

    print(f"{'':<17}{'rank 0':<16}{'rank 1':<16}rank 2")
    print(f"{'start':<17}{row(start)}")
    for k, (phase, sends, data) in enumerate(frames):
        sent = " ".join(f"c{c}" for c in sends)
        print(f"{k + 1} {phase:<15}{row(data)}   (sent {sent})")
    print("all ranks end with the sum:",
          all(torch.equal(t, sum(start)) for t in result))

# %%
import torch
import torch.distributed as dist


def ring_allreduce(tensor, trace=None):
    """Sum `tensor` over all ranks in place with point-to-point sends only.

    Call it on every rank of an initialised process group. If `trace` is a list, each
    step appends (phase, step, chunk sent, chunk received, bytes sent).
    """
    rank, world = dist.get_rank(), dist.get_world_size()
    if tensor.numel() < world:
        raise ValueError(
            f"tensor has {tensor.numel()} elements, fewer than the {world} ranks")
    # Views into `tensor`; their sizes differ by at most one element.
    chunks = torch.tensor_split(tensor.view(-1), world)
    right, left = (rank + 1) % world, (rank - 1) % world
    for phase, step, send_i, recv_i in ring_schedule(rank, world):
        incoming = torch.empty_like(chunks[recv_i])
        # Post both sides before waiting: with blocking send/recv every rank would
        # send first and the ring could stall.
        requests = [dist.isend(chunks[send_i], right), dist.irecv(incoming, left)]
        for request in requests:
            request.wait()
        if phase == "reduce-scatter":
            chunks[recv_i].add_(incoming)
        else:
            chunks[recv_i].copy_(incoming)
        if trace is not None:
            nbytes = chunks[send_i].numel() * chunks[send_i].element_size()
            trace.append((phase, step, send_i, recv_i, nbytes))
    return tensor


# %% [markdown]
# ## 代码
#
# ### 单进程脚本

# %%
import argparse
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_data(n=512, seed=0):
    """A fixed synthetic regression set: y = x @ w + noise."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=g)
    y = x @ torch.randn(8, 1, generator=g) + 0.1 * torch.randn(n, 1, generator=g)
    return TensorDataset(x, y)


def make_model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 1))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train a small regression model.")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32,
                        help="samples per step (per process under DDP)")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--out", type=Path, required=True,
                        help="directory for model.pt")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.lr <= 0:
        parser.error("--epochs and --batch-size must be >= 1 and --lr > 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = make_model().to(device)
    data = make_data()
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out / "model.pt")
    return model


# %% [markdown]
# ### DDP 版本

# %%
import argparse
import gc
import os
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def make_data(n=512, seed=0):
    """A fixed synthetic regression set: y = x @ w + noise."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=g)
    y = x @ torch.randn(8, 1, generator=g) + 0.1 * torch.randn(n, 1, generator=g)
    return TensorDataset(x, y)


def make_model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 1))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train a small regression model.")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32,
                        help="samples per step (per process under DDP)")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--out", type=Path, required=True,
                        help="directory for model.pt")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.lr <= 0:
        parser.error("--epochs and --batch-size must be >= 1 and --lr > 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    if "LOCAL_RANK" not in os.environ:
        raise SystemExit("train.py: LOCAL_RANK is not set; start it with torchrun, "
                         "e.g. torchrun --standalone --nproc_per_node=2 train.py --out DIR")
    use_cuda = torch.cuda.is_available()
    # env:// reads RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT, which torchrun sets.
    dist.init_process_group("nccl" if use_cuda else "gloo", init_method="env://",
                            timeout=timedelta(seconds=60))
    rank, world = dist.get_rank(), dist.get_world_size()
    local_rank = int(os.environ["LOCAL_RANK"])  # which device on this machine
    if use_cuda:
        torch.cuda.set_device(local_rank)
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    model = DDP(make_model().to(device),
                device_ids=[local_rank] if use_cuda else None)
    data = make_data()
    sampler = DistributedSampler(data, shuffle=True, seed=0)  # this rank's share
    loader = DataLoader(data, batch_size=args.batch_size, sampler=sampler)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    if rank == 0:
        print(f"{world} processes x {args.batch_size} samples "
              f"= {world * args.batch_size} per step")
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on all ranks
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()  # DDP averages the gradients over all ranks here
            optimizer.step()
        if rank == 0:
            print(f"epoch {epoch}: loss {loss.item():.4f}")
    if rank == 0:  # all ranks hold the same weights: one writer is enough
        args.out.mkdir(parents=True, exist_ok=True)
        torch.save(model.module.state_dict(), args.out / "model.pt")
    module = model.module
    # The DDP wrapper holds the process group and sits in reference cycles: free it
    # now, so that destroy_process_group() drops the group's last reference and joins
    # gloo's threads while Python is fully alive (see "the pitfalls").
    del model
    gc.collect()
    dist.destroy_process_group()
    return module


# %%
import difflib
from pathlib import Path


def script_lines(path):
    """A script's program: its lines from the first region marker on, no markers."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# --8<--"))
    return [line for line in lines[start:] if not line.startswith("# --8<--")]


def script_diff(single_path, ddp_path):
    """The unified diff, without context lines, from one script to the other."""
    single, ddp = script_lines(single_path), script_lines(ddp_path)
    return list(difflib.unified_diff(single, ddp, Path(single_path).name,
                                     Path(ddp_path).name, n=0, lineterm=""))


if __name__ == "__main__":
    # The two scripts, downloaded into the current folder.
    diff = script_diff("train_single.py", "train.py")
    print("\n".join(diff))
    added = sum(line[:1] == "+" and line[:3] != "+++" for line in diff)
    removed = sum(line[:1] == "-" and line[:3] != "---" for line in diff)
    print(f"# train.py: {len(script_lines('train.py'))} lines; "
          f"{added} added, {removed} removed")

# %% [markdown]
# ### 用 torchrun 运行
#
# ### DistributedSampler 与 set_epoch

# %%
from torch.utils.data.distributed import DistributedSampler

data = list(range(10))  # anything with a length works as a data set here
world = 4
for rank in range(world):
    # Outside a process group, num_replicas and rank can be given by hand.
    shard = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=False)
    print(f"rank {rank}: {list(shard)}")
# 10 samples do not split into 4 equal shards: the sampler repeats the first two
# indices, so that every rank gets ceil(10 / 4) = 3 and takes as many steps.
dropped = [DistributedSampler(data, world, r, shuffle=False, drop_last=True)
           for r in range(world)]
print("drop_last=True:", [list(shard) for shard in dropped])

# %%
from torch.utils.data.distributed import DistributedSampler

data = list(range(12))
shards = [DistributedSampler(data, num_replicas=2, rank=r, shuffle=True, seed=0)
          for r in range(2)]
for epoch in range(3):
    print(f"no set_epoch, pass {epoch}: {list(shards[0])} {list(shards[1])}")
for epoch in range(3):
    for shard in shards:
        shard.set_epoch(epoch)  # shuffle seeded with seed + epoch, alike on all ranks
    print(f"set_epoch({epoch}):         {list(shards[0])} {list(shards[1])}")

# %% [markdown]
# ### 用 no_sync 做梯度累积

# %%
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


# %% [markdown]
# ## 验证
#
# ### 为测试启动进程

# %%
import faulthandler
import gc
import multiprocessing.connection
import os
import signal
import tempfile
import time
import traceback
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

# Imported once by the fork server; every worker forked from it starts with them.
PRELOAD = ["torch", "torch.distributed", "torch.nn.parallel", "torch._dynamo"]


def _worker(fn, rank, world, env, out, args):
    os.environ.update(env, RANK=str(rank), LOCAL_RANK=str(rank))
    torch.set_num_threads(1)  # the ranks share the cores: one intra-op thread each
    stacks = open(out / f"{rank}.stacks", "w")  # stays open until the process ends
    faulthandler.register(signal.SIGUSR1, stacks, all_threads=True)  # for hangs
    try:
        torch.save(fn(rank, world, *args), out / f"{rank}.pt")
    except BaseException:
        (out / f"{rank}.err").write_text(traceback.format_exc())
        raise
    finally:
        if dist.is_initialized():  # fn failed half-way: leave no gloo thread behind
            gc.collect()  # DDP wrappers (in reference cycles) hold the group
            dist.destroy_process_group()


def _stacks(out, ranks):
    """Where each hung rank was, as faulthandler wrote it on SIGUSR1."""
    text = ""
    for rank in ranks:
        path = out / f"{rank}.stacks"
        text += f"rank {rank}:\n" + (path.read_text() if path.exists() else "-\n")
    return text


def run_workers(fn, world, *args, timeout=60.0, start_method="forkserver"):
    """Call fn(rank, world, *args) in `world` new processes; return results by rank.

    fn joins the others with dist.init_process_group("gloo", init_method="env://").
    """
    if not isinstance(world, int) or world < 1:
        raise ValueError(f"world must be a positive int, got {world!r}")
    if "<locals>" in fn.__qualname__ or fn.__module__ == "__main__":
        raise TypeError(f"{fn.__qualname__} must be a function defined at the top of "
                        "an importable module, so that the new processes can import it")
    name = fn.__qualname__
    ctx = mp.get_context(start_method)
    if start_method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    # Host the meeting point here, as torchrun's agent does, on a port the OS picks:
    # nothing to race for. The workers join it as clients.
    store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False,
                          timeout=timedelta(seconds=timeout))
    env = {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(store.port),
           "WORLD_SIZE": str(world), "LOCAL_WORLD_SIZE": str(world),
           "TORCHELASTIC_USE_AGENT_STORE": "True"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        procs = [ctx.Process(target=_worker, args=(fn, r, world, env, out, args),
                             daemon=True) for r in range(world)]
        for p in procs:
            p.start()
        deadline = time.monotonic() + timeout
        running = dict(enumerate(procs))
        try:
            while running:
                left = deadline - time.monotonic()
                if left <= 0:
                    for p in running.values():
                        os.kill(p.pid, signal.SIGUSR1)  # dump your stacks...
                    time.sleep(0.5)  # ...and get a moment to write them
                    where = _stacks(out, running)
                    raise TimeoutError(f"{name}: workers still running after {timeout}"
                                       f" s; where they were:\n{where}")
                sentinels = [p.sentinel for p in running.values()]
                multiprocessing.connection.wait(sentinels, timeout=left)
                for rank, p in list(running.items()):
                    if p.exitcode is None:
                        continue
                    del running[rank]
                    if p.exitcode != 0:
                        err = out / f"{rank}.err"
                        why = err.read_text() if err.exists() else f"exit {p.exitcode}"
                        raise RuntimeError(f"{name} failed on rank {rank}:\n{why}")
        finally:
            for p in procs:  # after an error, nobody waits for the dead rank
                if p.is_alive():
                    p.kill()
                p.join()
        return [torch.load(out / f"{r}.pt", weights_only=True) for r in range(world)]


# %%
import json
from pathlib import Path
from statistics import median

if __name__ == "__main__":
    # launch.json: written by the article's measure.py, downloaded into this folder.
    measured = json.loads(Path("launch.json").read_text())
    m = measured["machine"]
    print(f"{m['cpus']} CPUs, Python {m['python']}, PyTorch {m['torch']}")
    print("start 2 processes, one all_reduce, collect the results; seconds, median [min, max]"
          f" over {measured['rounds']} fresh interpreters per method:")
    print(f"{'':<10}  {'import torch':<18}  {'first launch':<18}  later launches")
    for method, run in measured["seconds"].items():
        cells = [f"{median(run[k]):5.2f} [{min(run[k]):.2f}, {max(run[k]):.2f}]"
                 for k in ("import", "first", "later")]
        print(f"{method:<10}  {cells[0]:<18}  {cells[1]:<18}  {cells[2]}")

# %% [markdown]
# ### 测试检查了什么

# %%
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


# %%
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


# %% [markdown]
# ## 断点续训与排查卡死
#
# ### "module." 前缀

# %%
import tempfile

import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP



def prefix_errors():
    """Load a plain model's keys into a DDP wrapper and back; return the errors."""
    errors = []
    # A one-process group is enough to build a DDP wrapper and look at its keys.
    with tempfile.TemporaryDirectory() as tmp:
        dist.init_process_group("gloo", init_method=f"file://{tmp}/rdzv", rank=0,
                                world_size=1)
        plain = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
        wrapped = DDP(nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1)))
        print("plain:  ", list(plain.state_dict()))
        print("wrapped:", list(wrapped.state_dict()))
        for target, source in [(plain, wrapped), (wrapped, plain)]:
            try:
                target.load_state_dict(source.state_dict())
            except RuntimeError as err:
                errors.append(str(err))
                print(f"\n{type(target).__name__}.load_state_dict(...) raises:\n{err}")
        wrapped.module.load_state_dict(plain.state_dict())  # the fix: load into .module
        print("\nwrapped.module.load_state_dict(plain.state_dict()): ok")
        del wrapped
        dist.destroy_process_group()
    return errors


if __name__ == "__main__":
    prefix_errors()

# %% [markdown]
# ### rank 0 保存，每个 rank 加载

# %%
import os

import torch
import torch.distributed as dist


def save_checkpoint(path, model, optimizer, epoch):
    """Rank 0 writes; every rank waits until the file is complete."""
    if dist.get_rank() == 0:
        state = {"model": model.module.state_dict(),  # no "module." prefix
                 "optimizer": optimizer.state_dict(),  # momentum buffers, step counts
                 "epoch": epoch}  # the last finished epoch
        torch.save(state, f"{path}.tmp")
        os.replace(f"{path}.tmp", path)  # a crash while saving leaves the old file whole
    dist.barrier()  # nobody reads the file before rank 0 has written it


def load_checkpoint(path, model, optimizer, device, restore_optimizer=True):
    """Every rank reads the file onto its own device; returns the epoch to run next."""
    state = torch.load(path, map_location=device, weights_only=True)
    model.module.load_state_dict(state["model"])
    if restore_optimizer:
        optimizer.load_state_dict(state["optimizer"])
    return state["epoch"] + 1


# %% [markdown]
# ### 崩溃、续训、对比

# %%
import gc
import multiprocessing
import os
from datetime import timedelta
from pathlib import Path

import torch
import torch._dynamo  # noqa: F401  DDP imports it when first built: seconds, so once, here
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler


def train(rank, world, folder, run, epochs=4, crash_at_step=None, resume=False,
          set_epoch=True, restore_optimizer=True):
    """One rank of a DDP run that checkpoints every epoch into folder/checkpoint.pt."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{folder}/{run}.rdzv", rank=rank,
                            world_size=world, timeout=timedelta(seconds=30))
    device = torch.device("cpu")  # with GPUs: torch.device("cuda", local_rank)
    torch.set_default_dtype(torch.float64)  # training amplifies rounding: float64
    model = DDP(make_model().to(device))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = make_data().tensors
    data = torch.utils.data.TensorDataset(x.double(), y.double())
    sampler = DistributedSampler(data, shuffle=True, seed=0)
    loader = DataLoader(data, batch_size=32, sampler=sampler)
    checkpoint = Path(folder) / "checkpoint.pt"
    start = load_checkpoint(checkpoint, model, optimizer, device,
                            restore_optimizer) if resume else 0
    step = start * len(loader)  # steps are counted over the whole run
    for epoch in range(start, epochs):
        if set_epoch:
            sampler.set_epoch(epoch)  # the shuffle of this epoch, not of epoch 0
        for xb, yb in loader:
            if step == crash_at_step:
                os._exit(1)  # the machine dies mid-epoch: no cleanup, no message
            loss = nn.functional.mse_loss(model(xb.to(device)), yb.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
        save_checkpoint(checkpoint, model, optimizer, epoch)
    if rank == 0:
        torch.save(model.module.state_dict(), Path(folder) / f"{run}.pt")
    del model  # free the wrapper before the group (see the pitfalls)
    gc.collect()
    dist.destroy_process_group()


def launch(world, folder, run, **options):
    """Start `world` ranks of train() and return their exit codes."""
    if not isinstance(world, int) or world < 1:
        raise ValueError(f"world must be a positive int, got {world!r}")
    fork = multiprocessing.get_context("fork")  # the children inherit this script's code
    procs = [fork.Process(target=train, args=(rank, world, folder, run), kwargs=options)
             for rank in range(world)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        if p.is_alive():
            p.kill()
            p.join()
    return [p.exitcode for p in procs]


# %%
import shutil
import tempfile
from pathlib import Path

import torch


def weights(folder, run):
    return torch.load(Path(folder) / f"{run}.pt", weights_only=True)


def compare(a, b):
    equal = all(torch.equal(a[k], b[k]) for k in a)  # exact, no tolerance
    largest = max((a[k] - b[k]).abs().max().item() for k in a)
    return f"equal: {equal}, largest difference {largest:.1e}"



RESUMED = {"resumed": {},
           "resumed without set_epoch": {"set_epoch": False},
           "resumed without optimizer state": {"restore_optimizer": False}}


def crash_and_resume():
    """Run 4 epochs straight; crash a second run in epoch 2, resume it three ways."""
    results = {}
    with tempfile.TemporaryDirectory() as straight, tempfile.TemporaryDirectory() as crashed:
        results["uninterrupted"] = launch(2, straight, "full"), weights(straight, "full")
        # 8 steps per epoch (512 rows / (2 ranks x 32)): step 20 is in epoch 2.
        results["crashed"] = launch(2, crashed, "crash", crash_at_step=20), None
        saved = torch.load(Path(crashed) / "checkpoint.pt", weights_only=True)
        results["checkpoint epoch"] = saved["epoch"]
        for name, options in RESUMED.items():
            with tempfile.TemporaryDirectory() as copy:  # each from the same checkpoint
                shutil.copy(Path(crashed) / "checkpoint.pt", copy)
                codes = launch(2, copy, "resumed", resume=True, **options)
                results[name] = codes, weights(copy, "resumed")
    return results


if __name__ == "__main__":
    results = crash_and_resume()
    reference = results["uninterrupted"][1]
    print("uninterrupted, 4 epochs:         exit codes", results["uninterrupted"][0])
    print("crash at step 20:                exit codes", results["crashed"][0])
    print(f"  the checkpoint holds epoch {results['checkpoint epoch']}")
    for name in RESUMED:
        codes, final = results[name]
        print(f"{name + ':':<33}exit codes {codes}, vs uninterrupted "
              f"{compare(final, reference)}")

# %% [markdown]
# ### forward 从未用到的参数

# %%
import tempfile

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(4, 4)
        self.head = nn.Linear(4, 1)
        self.aux = nn.Linear(4, 1)  # defined, but forward never calls it

    def forward(self, x):
        return self.head(self.body(x))


def steps_until_error(model, steps=3):
    x = torch.ones(2, 4)
    for step in range(steps):
        try:
            model(x).sum().backward()
        except RuntimeError as err:
            return step, str(err)
    return steps, None


def unused_parameter_errors():
    """The error at each debug level, and the run with find_unused_parameters=True."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        # One process is enough: every rank raises the same error about its own parameters.
        dist.init_process_group("gloo", init_method=f"file://{tmp}/rdzv", rank=0, world_size=1)
        try:
            for level in ["OFF", "INFO", "DETAIL"]:
                # What TORCH_DISTRIBUTED_DEBUG=<level> sets. Set here, after
                # init_process_group, so that DETAIL does not wrap the group (see the text).
                dist.set_debug_level(getattr(dist.DebugLevel, level))
                found[level] = steps_until_error(DDP(TwoHeads()))
            dist.set_debug_level(dist.DebugLevel.OFF)
            model = DDP(TwoHeads(), find_unused_parameters=True)
            found["find_unused_parameters=True"] = steps_until_error(model)
            found["aux.weight.grad"] = model.module.aux.weight.grad
        finally:
            dist.set_debug_level(dist.DebugLevel.OFF)
            dist.destroy_process_group()
    return found


if __name__ == "__main__":
    found = unused_parameter_errors()
    for name in ["OFF", "INFO", "DETAIL", "find_unused_parameters=True"]:
        step, error = found[name]
        print(f"{name}: ", end="")
        if error is None:
            print(f"{step} steps, no error")
            continue
        print(f"error in step {step}:\n  {error.split('. ')[0]}.")  # its first sentence
        for line in error.splitlines():
            if "did not receive grad" in line:
                print(f"  {line.strip()}")

# %% [markdown]
# ### 某个 rank 跳过了集合通信

# %%
import multiprocessing
import os
import re
import tempfile
from datetime import timedelta

import torch
import torch.distributed as dist


def skip_all_reduce(rank, world, folder, level, results, rank0_done):
    """Rank 1 forgets the all_reduce, as after an `if rank == 0:` in the wrong place."""
    os.environ["TORCH_DISTRIBUTED_DEBUG"] = level  # as if set before the script started
    dist.set_debug_level_from_env()
    dist.init_process_group("gloo", init_method=f"file://{folder}/{level}.rdzv", rank=rank,
                            world_size=world, timeout=timedelta(seconds=2))
    try:
        if rank == 0:
            dist.all_reduce(torch.ones(3))  # waits for rank 1, which never comes
            results.put((rank, "finished"))
        else:
            results.put((rank, "skipped the all_reduce, carried on"))
    except RuntimeError as err:
        message = re.sub(r"\[\S+\.cc:\d+\] ", "", str(err))  # drop the C++ file and line
        results.put((rank, f"{type(err).__name__}: {message}"))
    finally:
        if rank == 0:
            rank0_done.set()
        rank0_done.wait(30)  # rank 1 stays alive (as a rank busy elsewhere would)
        dist.destroy_process_group()


def run_skipped_all_reduce(level, world=2):
    if level not in ("OFF", "INFO", "DETAIL"):
        raise ValueError(f"level must be OFF, INFO or DETAIL (TORCH_DISTRIBUTED_DEBUG), got {level!r}")
    fork = multiprocessing.get_context("fork")
    results, rank0_done = fork.SimpleQueue(), fork.Event()
    with tempfile.TemporaryDirectory() as tmp:
        procs = [fork.Process(target=skip_all_reduce,
                              args=(rank, world, tmp, level, results, rank0_done))
                 for rank in range(world)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=60)
    return dict(sorted(results.get() for _ in range(world)))


if __name__ == "__main__":
    for level in ["OFF", "DETAIL"]:
        print(f"TORCH_DISTRIBUTED_DEBUG={level}, timeout 2 s:")
        for rank, what in run_skipped_all_reduce(level).items():
            print(f"  rank {rank}: {what}")

# %% [markdown]
# ## 常见陷阱
#
# ### 退出时崩溃与卡死：最后再销毁进程组

# %%
import tempfile
from datetime import timedelta

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def all_reduce_and_return(rank, world, path, destroy):
    """The worker of the exit-abort experiment: one collective, then return."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{path}", rank=rank, world_size=world,
                            timeout=timedelta(seconds=30))
    t = torch.ones(10) * rank
    dist.all_reduce(t)
    if destroy:
        dist.destroy_process_group()


def exit_failures(runs, destroy, start_method="spawn"):
    """How many of `runs` 2-process launches end with a worker that did not exit cleanly."""
    failures = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                mp.start_processes(all_reduce_and_return, args=(2, f"{tmp}/rdzv", destroy), nprocs=2,
                                   start_method=start_method)
            except mp.ProcessExitedException as err:
                failures.append(err.signal_name or f"exit code {err.exit_code}")
    return failures


# %%
import json
from pathlib import Path

if __name__ == "__main__":
    # exit_abort.json: written by main() below, downloaded into this folder.
    measured = json.loads(Path("exit_abort.json").read_text())
    for case in ("without_destroy", "with_destroy", "train_script"):
        rounds = measured[case]  # the failures of each round
        runs = measured["train_runs_per_round" if case == "train_script" else "runs_per_round"]
        failed = sum(len(r) for r in rounds)
        print(f"{case.replace('_', ' '):<16} {failed:2d} of {runs * len(rounds)} runs failed,"
              f" per round of {runs}: {[len(r) for r in rounds]}", sorted({f for r in rounds for f in r}))

"""Debugging DDP's two classic stalls: a parameter forward never uses, and a collective one
rank skips. Each is turned from a hang or a riddle into an error that says what is wrong."""

import faulthandler

# --8<-- [start:unused_parameter]
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
# --8<-- [end:unused_parameter]


# --8<-- [start:collective_timeout]
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
# --8<-- [end:collective_timeout]


def ddp_with_detail_at_init():
    """DETAIL set before init_process_group wraps the group; then build a DDP model."""
    with tempfile.TemporaryDirectory() as tmp:
        dist.set_debug_level(dist.DebugLevel.DETAIL)
        dist.init_process_group("gloo", init_method=f"file://{tmp}/rdzv", rank=0, world_size=1)
        DDP(TwoHeads())
        dist.destroy_process_group()


def _quietly(fn):
    faulthandler.disable()  # pytest's: a crash expected here needs no traceback
    fn()


def exit_code_of(fn):
    """Run fn in a forked child; its exit code (negative: killed by that signal)."""
    child = multiprocessing.get_context("fork").Process(target=_quietly, args=(fn,))
    child.start()
    child.join(timeout=60)
    return child.exitcode


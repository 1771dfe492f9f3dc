"""Machine-dependent measurements of the ddp article, written to snippets/ddp/measured/.

Run with `python -m tools.outputs --measure ddp` (a few minutes: the exit-abort count starts
dozens of fresh interpreters). What is measured:

- launch.json: seconds to start 2 gloo processes, run one all_reduce and collect the result,
  for the spawn, fork and forkserver start methods (each in a fresh interpreter);
- exit_abort.json: how many torch.multiprocessing.spawn runs abort at worker exit, with and
  without destroy_process_group() at the end of the worker;
- buckets.json: when each gradient becomes ready during backward and when DDP's all-reduce of
  each bucket starts and ends (2 ranks, gloo over loopback).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

HERE = Path(__file__).resolve().parent
OUT = HERE / "measured"
ROOT = HERE.parents[1]


def machine():
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "torch": torch.__version__,
            "platform": platform.platform(terse=True)}


# --- launch cost ---------------------------------------------------------------------------

def one_all_reduce(rank, world):
    dist.init_process_group("gloo", init_method="env://", timeout=timedelta(seconds=30))
    t = torch.ones(4) * rank
    dist.all_reduce(t)
    dist.destroy_process_group()
    return t.tolist()


_LAUNCH = """
import json, sys, time
t0 = time.perf_counter()
import torch
if sys.argv[1] == "fork":
    import torch._dynamo  # what DDP imports lazily: load it once, before forking
from snippets.ddp.launch import run_workers
from snippets.ddp.measure import one_all_reduce
t1 = time.perf_counter()
seconds = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    assert run_workers(one_all_reduce, 2, start_method=sys.argv[1])[1] == [1.0] * 4
    seconds.append(time.perf_counter() - start)
print(json.dumps({"import": t1 - t0, "launches": seconds}))
"""


def launch_seconds(start_method, launches=3):
    """Time `launches` consecutive 2-process launches in a fresh interpreter."""
    if start_method not in ("spawn", "fork", "forkserver"):
        raise ValueError(f"unknown start method {start_method!r}")
    done = subprocess.run([sys.executable, "-c", _LAUNCH, start_method, str(launches)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise RuntimeError(f"launch timing with {start_method} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


# --- exit abort ----------------------------------------------------------------------------

# --8<-- [start:exit_abort_experiment]
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
# --8<-- [end:exit_abort_experiment]


# --8<-- [start:exit_abort_counts]
import json
from pathlib import Path

if __name__ == "__main__":
    # exit_abort.json: written by main() below, downloaded into this folder.
    measured = json.loads(Path("exit_abort.json").read_text())
    runs = measured["runs"]
    for case in ("without_destroy", "with_destroy"):
        failed = measured[case]
        print(f"{case.replace('_', ' '):<16} {len(failed):2d} of {runs} runs failed",
              sorted(set(failed)))
# --8<-- [end:exit_abort_counts]


# --- buckets -------------------------------------------------------------------------------

def bucket_timeline(rank, world, width=512, depth=6, batch=256, bucket_cap_mb=1.0):
    """Events of one backward pass of a DDP model, in milliseconds from its start."""
    dist.init_process_group("gloo", init_method="env://", timeout=timedelta(seconds=30))
    torch.manual_seed(0)
    model = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])
    clock = {"t0": 0.0}
    events = []

    def now():
        return (time.perf_counter() - clock["t0"]) * 1e3

    layer_of = {id(p): i for i, layer in enumerate(model) for p in layer.parameters()}
    for p in model.parameters():
        p.register_post_accumulate_grad_hook(lambda p: events.append(["grad", layer_of[id(p)], now()]))
    ddp = nn.parallel.DistributedDataParallel(model, bucket_cap_mb=bucket_cap_mb)

    def timed_all_reduce(state, bucket):
        index = bucket.index()
        layers = sorted({layer_of[id(p)] for p in bucket.parameters()})
        events.append(["start", index, now(), layers])
        future = dist.all_reduce(bucket.buffer(), async_op=True).get_future()

        def finished(fut):
            events.append(["done", index, now(), layers])
            return fut.value()[0] / world

        return future.then(finished)

    ddp.register_comm_hook(None, timed_all_reduce)
    x = torch.randn(batch, width)
    for _ in range(3):  # DDP rebuilds its buckets after the first iteration: keep the last
        loss = ddp(x).square().mean()
        events.clear()
        clock["t0"] = time.perf_counter()
        loss.backward()
        events.append(["end", -1, now()])
    del ddp
    gc.collect()  # free the DDP wrapper before the group (see train.py)
    dist.destroy_process_group()
    return events


def main(parts=("launch", "abort", "buckets")):
    from snippets.ddp.launch import run_workers

    OUT.mkdir(exist_ok=True)
    if "launch" in parts:
        launch = {method: launch_seconds(method) for method in ("spawn", "fork", "forkserver")}
        (OUT / "launch.json").write_text(json.dumps({"machine": machine(), "seconds": launch}, indent=1) + "\n")
    if "abort" in parts:
        runs = 40
        aborts = {"runs": runs, "without_destroy": exit_failures(runs, destroy=False),
                  "with_destroy": exit_failures(runs, destroy=True)}
        (OUT / "exit_abort.json").write_text(json.dumps({"machine": machine(), **aborts}, indent=1) + "\n")
    if "buckets" in parts:
        trace = run_workers(bucket_timeline, 2)
        (OUT / "buckets.json").write_text(json.dumps({"machine": machine(), "ranks": trace}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:] or ("launch", "abort", "buckets"))

"""Machine-dependent measurements of the ddp article, written to snippets/ddp/measured/.

Run with `python -m tools.outputs --measure ddp` (a few minutes: the exit-abort count starts
dozens of fresh interpreters). What is measured:

- launch.json: seconds to import torch, then to start 2 gloo processes, run one all_reduce and
  collect the result, for the spawn, fork and forkserver start methods; ROUNDS fresh
  interpreters per method, interleaved, each timing its first and two later launches;
- checks.json: seconds of one world-2 launch of tests/ddp's checks (checks.all_checks) and the
  seconds the checks themselves take inside the workers, over CHECK_LAUNCHES launches in this
  process (the first one also starts the fork server);
- two_nodes.json: seconds of the two-machine torchrun test's run (two agents, train.py, one
  epoch), repeated TWO_NODE_RUNS times;
- exit_abort.json: how many torch.multiprocessing.spawn runs end with a failed worker, per round
  of RUNS_PER_ROUND runs: the experiment's worker without and with destroy_process_group(), and
  train.py's main() (with its teardown: del, gc.collect, destroy) under a deadline for hangs;
- buckets.json: when each gradient becomes ready during backward and when DDP's all-reduce of
  each bucket starts and ends (2 ranks, gloo over loopback), for PASSES backward passes.
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


ROUNDS = 5
METHODS = ("spawn", "fork", "forkserver")


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


def launch_rounds(rounds=ROUNDS):
    """launch_seconds for every method, `rounds` times, interleaved so that a busy spell of the
    machine hits all methods alike."""
    seconds = {m: {"import": [], "first": [], "later": []} for m in METHODS}
    for _ in range(rounds):
        for method in METHODS:
            run = launch_seconds(method)
            seconds[method]["import"].append(run["import"])
            seconds[method]["first"].append(run["launches"][0])
            seconds[method]["later"] += run["launches"][1:]
    return seconds


# --- the tests' launches -------------------------------------------------------------------

CHECK_LAUNCHES = 5


def timed_checks(rank, world, out_dir):
    """checks.all_checks, timed inside the worker."""
    from snippets.ddp.checks import all_checks

    start = time.perf_counter()
    all_checks(rank, world, out_dir)
    return time.perf_counter() - start


def check_seconds(launches=CHECK_LAUNCHES):
    """Wall seconds of each world-2 launch of the checks, and the checks' own seconds in it."""
    from snippets.ddp.launch import run_workers

    result = {"launch": [], "checks": []}
    for _ in range(launches):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            inside = run_workers(timed_checks, 2, tmp)
            result["launch"].append(time.perf_counter() - start)
            result["checks"].append(max(inside))
    return result


TWO_NODE_RUNS = 3


def start_two_nodes(folder, port, epochs=1):
    """Two torchrun agents, one process each, running train.py in `folder` as two machines
    would: a c10d rendezvous on a store already hosted at 127.0.0.1:`port` (is_host=false),
    no PYTHONPATH to the repository. Returns the two Popen objects."""
    import shutil

    torchrun = Path(sys.executable).with_name("torchrun")
    common = [str(torchrun), "--nnodes=2", "--nproc_per_node=1", "--rdzv-backend=c10d",
              f"--rdzv-endpoint=127.0.0.1:{port}", "--rdzv-id=ddp-test",
              "--rdzv-conf=is_host=false,join_timeout=60", "--max-restarts=0"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    shutil.copy(HERE / "train.py", Path(folder) / "train.py")
    return [subprocess.Popen([*common, "train.py", "--epochs", str(epochs), "--out", f"node{n}"],
                             cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
            for n in range(2)]


def two_node_seconds(runs=TWO_NODE_RUNS):
    seconds = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False,
                                  timeout=timedelta(seconds=60))
            start = time.perf_counter()
            nodes = start_two_nodes(tmp, store.port)
            for node in nodes:
                _, err = node.communicate(timeout=120)
                if node.returncode:
                    raise RuntimeError(f"two-node run failed:\n{err}")
            seconds.append(time.perf_counter() - start)
            del store
    return seconds


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
    for case in ("without_destroy", "with_destroy", "train_script"):
        rounds = measured[case]  # the failures of each round
        runs = measured["train_runs_per_round" if case == "train_script" else "runs_per_round"]
        failed = sum(len(r) for r in rounds)
        print(f"{case.replace('_', ' '):<16} {failed:2d} of {runs * len(rounds)} runs failed,"
              f" per round of {runs}: {[len(r) for r in rounds]}", sorted({f for r in rounds for f in r}))
# --8<-- [end:exit_abort_counts]


RUNS_PER_ROUND = 10
ABORT_ROUNDS = 4
TRAIN_RUNS_PER_ROUND = 5


def train_and_exit(rank, world, port, out_dir):
    """train.py's main() in a spawned worker, with the environment torchrun would give it."""
    import contextlib
    import io

    from snippets.ddp.train import main as train_main

    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world),
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port),
                      TORCHELASTIC_USE_AGENT_STORE="True")
    torch.set_num_threads(1)
    with contextlib.redirect_stdout(io.StringIO()):
        train_main(["--epochs", "1", "--out", out_dir])


def train_exit_failures(runs, deadline=60.0):
    """How many of `runs` 2-process spawn runs of train.py's main() abort or hang at exit."""
    failures = []
    for _ in range(runs):
        store = dist.TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False,
                              timeout=timedelta(seconds=deadline))
        with tempfile.TemporaryDirectory() as tmp:
            ctx = mp.start_processes(train_and_exit, args=(2, store.port, tmp), nprocs=2,
                                     start_method="spawn", join=False)
            end = time.monotonic() + deadline
            try:
                while not ctx.join(timeout=1):
                    if time.monotonic() > end:
                        failures.append("hang")
                        for p in ctx.processes:
                            p.kill()
                        break
            except mp.ProcessExitedException as err:
                failures.append(err.signal_name or f"exit code {err.exit_code}")
            except mp.ProcessRaisedException as err:
                failures.append(f"raised: {str(err).splitlines()[-1]}")
        del store
    return failures


# --- buckets -------------------------------------------------------------------------------

PASSES = 5


def bucket_timeline(rank, world, width=512, depth=6, batch=256, bucket_cap_mb=1.0, passes=1):
    """Events of `passes` backward passes of a DDP model (after two warm-up passes: DDP rebuilds
    its buckets after the first), in milliseconds from the start of each pass."""
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
    kept = []
    for k in range(2 + passes):
        loss = ddp(x).square().mean()
        events.clear()
        clock["t0"] = time.perf_counter()
        loss.backward()
        events.append(["end", -1, now()])
        if k >= 2:
            kept.append(list(events))
    del ddp
    gc.collect()  # free the DDP wrapper before the group (see train.py)
    dist.destroy_process_group()
    return kept[0] if passes == 1 else kept


def spread(values, digits=2):
    """Median and range of repeated measurements, rounded as the page quotes them."""
    from statistics import median

    return {"n": len(values), **{k: f"{f(values):.{digits}f}"
                                 for k, f in (("median", median), ("min", min), ("max", max))}}


def bucket_facts(events):
    """What the page says about one backward pass: for each bucket, the milliseconds between
    its layers' last gradient and the start of its all-reduce; whether the first all-reduce
    started before layer 0's gradients were ready."""
    ready = {}
    for kind, layer, ms, *_ in events:
        if kind == "grad":
            ready[layer] = max(ready.get(layer, 0.0), ms)
    starts = [e for e in events if e[0] == "start"]
    delays = [ms - max(ready[layer] for layer in layers) for _, _, ms, layers in starts]
    return {"delays": delays, "first_start_before_layer0": starts[0][2] < ready[0]}


def summarize():
    """Add to each measured file the median and range the page quotes."""
    checks = json.loads((OUT / "checks.json").read_text())
    seconds = checks["seconds"]
    overhead = [w - c for w, c in zip(seconds["launch"], seconds["checks"], strict=True)]
    checks["summary"] = {"checks": spread(seconds["checks"]), "first_overhead": f"{overhead[0]:.2f}",
                         "later_overhead": spread(overhead[1:])}
    (OUT / "checks.json").write_text(json.dumps(checks, indent=1) + "\n")
    nodes = json.loads((OUT / "two_nodes.json").read_text())
    nodes["summary"] = spread(nodes["seconds"], 1)
    (OUT / "two_nodes.json").write_text(json.dumps(nodes, indent=1) + "\n")
    buckets = json.loads((OUT / "buckets.json").read_text())
    facts = [bucket_facts(events) for rank in buckets["passes"] for events in rank]
    buckets["summary"] = {
        "passes": len(facts),
        "first_start_before_layer0": sum(f["first_start_before_layer0"] for f in facts),
        "start_delay_ms": spread([d for f in facts for d in f["delays"]])}
    (OUT / "buckets.json").write_text(json.dumps(buckets) + "\n")


def write(name, data):
    (OUT / name).write_text(json.dumps({"machine": machine(), **data}, indent=1) + "\n")


PARTS = ("launch", "checks", "two_nodes", "abort", "buckets")


def main(parts=PARTS):
    from snippets.ddp.launch import run_workers

    OUT.mkdir(exist_ok=True)
    if "launch" in parts:
        write("launch.json", {"rounds": ROUNDS, "seconds": launch_rounds()})
    if "checks" in parts:
        write("checks.json", {"seconds": check_seconds()})
    if "two_nodes" in parts:
        write("two_nodes.json", {"seconds": two_node_seconds()})
    if "abort" in parts:
        rounds = range(ABORT_ROUNDS)
        write("exit_abort.json", {
            "runs_per_round": RUNS_PER_ROUND,
            "without_destroy": [exit_failures(RUNS_PER_ROUND, destroy=False) for _ in rounds],
            "with_destroy": [exit_failures(RUNS_PER_ROUND, destroy=True) for _ in rounds],
            "train_runs_per_round": TRAIN_RUNS_PER_ROUND,
            "train_script": [train_exit_failures(TRAIN_RUNS_PER_ROUND) for _ in rounds]})
    if "buckets" in parts:
        passes = run_workers(bucket_timeline, 2, 512, 6, 256, 1.0, PASSES)
        (OUT / "buckets.json").write_text(json.dumps({"machine": machine(), "passes": passes}) + "\n")
    summarize()


if __name__ == "__main__":
    main(sys.argv[1:] or PARTS)

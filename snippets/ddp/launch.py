"""Start N processes on one machine the way torchrun does (tests and measure.py)."""

# --8<-- [start:launch_workers]
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
# --8<-- [end:launch_workers]


# --8<-- [start:start_method_costs]
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
# --8<-- [end:start_method_costs]


def fail_on_rank(rank, world, bad_rank):
    """A worker that breaks on one rank (for the tests of run_workers)."""
    if rank == bad_rank:
        raise ValueError(f"rank {rank} gave up")
    return rank


def hang(rank, world, pid_dir):
    """A worker that never returns (for the timeout test of run_workers)."""
    (Path(pid_dir) / str(rank)).write_text(str(os.getpid()))
    time.sleep(3600)


def _call_and_save(fn, args, out):
    torch.save(fn(*args), out)


def in_fresh_process(fn, *args, timeout=120.0):
    """Return fn(*args), computed in a child of the fork server.

    For code that forks processes of its own (the page's resume and hang examples): the fork
    server is an interpreter that has run nothing but its imports, while a test process may hold
    threads and locks (pytest-xdist, a browser driver) that a fork copies in whatever state
    they are. The child is not a daemon, so it may start processes.
    """
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pt"
        child = ctx.Process(target=_call_and_save, args=(fn, args, out))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            raise TimeoutError(f"{fn.__qualname__} still running after {timeout} s")
        if child.exitcode != 0:
            raise RuntimeError(f"{fn.__qualname__} failed with exit code {child.exitcode}")
        return torch.load(out, weights_only=True)

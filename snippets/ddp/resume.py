"""Resuming DDP training from a checkpoint, and the proof that it continues bit for bit.

The workers here are started with the fork method from the reader's own script (no
importable module needed), so each launch costs a fork, not a fresh `import torch`.
"""

# --8<-- [start:module_prefix]
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
# --8<-- [end:module_prefix]


# --8<-- [start:checkpoint_functions]
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
# --8<-- [end:checkpoint_functions]


# On the page these come from the earlier blocks that `# needs:` names.
from snippets.ddp.train import make_data, make_model  # noqa: E402

# needs: train.py:ddp_script, checkpoint_functions
# --8<-- [start:resumable_training]
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
# --8<-- [end:resumable_training]


# needs: resumable_training
# --8<-- [start:resume_proof]
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
# --8<-- [end:resume_proof]

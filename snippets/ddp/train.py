"""train_single.py made data parallel with DistributedDataParallel (DDP).

The same file runs on one machine or many, on CPU (gloo) or GPUs (nccl):

    torchrun --standalone --nproc_per_node=2 train.py --out DIR
    torchrun --nnodes=2 --nproc_per_node=4 --rdzv-backend=c10d \
             --rdzv-endpoint=HOST:29400 --rdzv-id=job1 train.py --out DIR

torchrun starts one process per device and gives each RANK, LOCAL_RANK, WORLD_SIZE,
MASTER_ADDR and MASTER_PORT in its environment.
"""

# --8<-- [start:ddp_script]
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
# --8<-- [end:ddp_script]


if __name__ == "__main__":
    main()

"""How DistributedSampler splits a data set between ranks."""

# --8<-- [start:sampler_shards]
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
# --8<-- [end:sampler_shards]


# --8<-- [start:set_epoch]
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
# --8<-- [end:set_epoch]

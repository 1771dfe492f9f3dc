"""Ring all-reduce by hand: reduce-scatter, then all-gather (Patarasuk & Yuan 2009)."""

# --8<-- [start:ring_schedule]
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
# --8<-- [end:ring_schedule]


# On the page ring_schedule comes from the first block, which `# needs:` names.
# needs: ring_schedule
# --8<-- [start:ring_allreduce]
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
# --8<-- [end:ring_allreduce]


# needs: ring_schedule
# --8<-- [start:ring_simulated]
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
# --8<-- [end:ring_simulated]

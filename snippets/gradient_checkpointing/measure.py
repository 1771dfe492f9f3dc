"""Time cost of checkpointing on this machine: `python -m tools.outputs --measure gradient-checkpointing`.

Writes measured/timings.json; the page's table and figure read it from there.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import torch

from snippets.gradient_checkpointing.segments import measure_once

from tools.machine import cpu_name

OUT = Path(__file__).resolve().parent / "measured" / "timings.json"


def machine() -> dict:
    return {"cpu": cpu_name(), "logical_cores": os.cpu_count(), "torch": torch.__version__.split("+")[0],
            "python": platform.python_version(), "threads": 1}


def step_function(segments, n_blocks: int, width: int, batch: int, forward_only: bool = False):
    """A function running one forward (+ backward) of a fresh model.

    segments=None checkpoints every block; segments=1 is the plain run."""
    from torch.utils.checkpoint import checkpoint, checkpoint_sequential

    from snippets.gradient_checkpointing.mlp import make_mlp

    model = make_mlp(n_blocks, width)
    x = torch.randn(batch, width, generator=torch.Generator().manual_seed(1))

    def run():
        model.zero_grad(set_to_none=True)
        if forward_only:
            model(x)
            return
        if segments is None:
            h = x
            for block in model:
                h = checkpoint(block, h, use_reentrant=False)
        else:
            h = checkpoint_sequential(model, segments, x, use_reentrant=False)
        h.sum().backward()

    return run


def time_interleaved(runs: dict, rounds: int) -> dict:
    """{name: [CPU seconds of each round]}. Every round runs each function once, so a
    burst of load from other processes hits all of them alike and the runs of one round
    can be compared with each other."""
    for run in runs.values():
        run()  # warm-up
    times = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    return times


def collect(n_blocks: int = 18, width: int = 512, batch: int = 256, rounds: int = 21) -> dict:
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds!r}")
    torch.set_num_threads(1)
    configs = list(range(1, n_blocks + 1)) + [None]
    runs = {str(s): step_function(s, n_blocks, width, batch) for s in configs}
    runs["forward"] = step_function(1, n_blocks, width, batch, forward_only=True)
    timed = time_interleaved(runs, rounds)
    rows = []
    for s in configs:
        counts = measure_once(s, n_blocks, "silu", batch, width, peak=False)
        rows.append({"segments": s, "saved_bytes": counts["saved"],
                     "extra_forwards": counts["extra_forwards"],
                     "round_seconds": timed[str(s)]})
    return {
        "what": "CPU time (time.process_time) of one forward + backward of an MLP of Linear+SiLU "
                "blocks: plain (segments = 1), checkpoint_sequential with 1..n segments, and every "
                "block checkpointed (segments = null); and of one plain forward (forward_round_seconds). "
                "Every round runs each configuration once, after one warm-up; one thread",
        "machine": machine(),
        "config": {"n_blocks": n_blocks, "width": width, "batch": batch, "rounds": rounds},
        "forward_round_seconds": timed["forward"],
        "rows": rows,
    }


def main(out: Path = OUT, **sizes) -> dict:
    data = collect(**sizes)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    return data


# --8<-- [start:measured_overhead]
import json
import statistics
from pathlib import Path


def quartiles(values):
    """(lower quartile, median, upper quartile)."""
    return tuple(statistics.quantiles(values, n=4, method="inclusive"))


def per_round(data):
    """{segments: (time / plain, extra time in forward passes), each a list
    over the rounds}; a run is compared with the plain run of its own round."""
    plain = data["rows"][0]["round_seconds"]
    forward = data["forward_round_seconds"]
    return {row["segments"]: (
        [t / p for t, p in zip(row["round_seconds"], plain, strict=True)],
        [(t - p) / f for t, p, f in zip(row["round_seconds"], plain, forward,
                                        strict=True)])
        for row in data["rows"]}


if __name__ == "__main__":
    path = Path("timings.json")  # measured by measure.py; downloaded beside this code
    data = json.loads(path.read_text())
    m, c = data["machine"], data["config"]
    print(f"{m['cpu']}, {m['threads']} thread, torch {m['torch']}")
    print(f"{c['n_blocks']} blocks of width {c['width']}, batch {c['batch']},"
          f" {c['rounds']} rounds: median [quartiles]")
    print("segments  saved MiB  time / plain         extra time (forwards)"
          "  recomputed blocks / n")
    rows = {row["segments"]: row for row in data["rows"]}
    for segments, (ratio, extra) in per_round(data).items():
        label = "every" if segments is None else segments
        r, e = quartiles(ratio), quartiles(extra)
        row = rows[segments]
        print(f"{label:>8}  {row['saved_bytes'] / 2**20:9.1f}"
              f"  {r[1]:.2f} [{r[0]:.2f}, {r[2]:.2f}]"
              f"     {e[1]:5.2f} [{e[0]:5.2f}, {e[2]:5.2f}]"
              f"  {row['extra_forwards'] / c['n_blocks']:21.2f}")
# --8<-- [end:measured_overhead]


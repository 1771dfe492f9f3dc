"""Time cost of checkpointing on this machine: `python -m tools.outputs --measure gradient-checkpointing`.

Writes measured/timings.json; the page's table and figure read it from there.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from snippets.gradient_checkpointing.segments import measure_once

OUT = Path(__file__).resolve().parent / "measured" / "timings.json"


def machine() -> dict:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "logical_cores": os.cpu_count(), "torch": torch.__version__.split("+")[0],
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
    """{name: (fastest, median) CPU seconds}. Every round runs each function once, so a
    burst of load from other processes hits all of them alike; the fastest run is the
    one least disturbed."""
    for run in runs.values():
        run()  # warm-up
    times = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    return {name: (min(t), statistics.median(t)) for name, t in times.items()}


def collect(n_blocks: int = 18, width: int = 512, batch: int = 256, rounds: int = 15) -> dict:
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
        fastest, median = timed[str(s)]
        rows.append({"segments": s, "saved_bytes": counts["saved"],
                     "extra_forwards": counts["extra_forwards"],
                     "seconds": fastest, "median_seconds": median})
    return {
        "what": "CPU time (time.process_time) of one forward + backward of an MLP of Linear+SiLU "
                "blocks: plain (segments = 1), checkpoint_sequential with 1..n segments, and every "
                "block checkpointed (segments = null); fastest and median of `rounds` interleaved "
                "rounds after one warm-up, one thread",
        "machine": machine(),
        "config": {"n_blocks": n_blocks, "width": width, "batch": batch, "rounds": rounds},
        "forward_seconds": timed["forward"][0],
        "rows": rows,
    }


def main(out: Path = OUT, **sizes) -> dict:
    data = collect(**sizes)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    return data


# --8<-- [start:measured_overhead]
import json
from pathlib import Path

if __name__ == "__main__":
    path = Path("timings.json")  # measured by measure.py; downloaded beside this code
    data = json.loads(path.read_text())
    m, c = data["machine"], data["config"]
    print(f"{m['cpu']}, {m['threads']} thread, torch {m['torch']}")
    print(f"{c['n_blocks']} blocks of width {c['width']}, batch {c['batch']},"
          f" fastest of {c['rounds']} rounds")
    plain, fwd = data["rows"][0]["seconds"], data["forward_seconds"]
    print("segments  saved MiB  time/plain  extra time   recomputed")
    print("                                  (forwards)   blocks / n")
    for row in data["rows"]:
        label = "every" if row["segments"] is None else row["segments"]
        extra = (row["seconds"] - plain) / fwd
        print(f"{label:>8}  {row['saved_bytes'] / 2**20:9.1f}"
              f"  {row['seconds'] / plain:10.2f}  {extra:10.2f}"
              f"  {row['extra_forwards'] / c['n_blocks']:11.2f}")
# --8<-- [end:measured_overhead]


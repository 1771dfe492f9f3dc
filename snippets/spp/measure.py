"""Machine-dependent: time YOLO's SPP(5, 9, 13) against SPPF. `python -m tools.outputs --measure spp`."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import torch

from snippets.spp.yolo_block import SPPF, YoloSPP

from tools.machine import cpu_name

OUT = Path(__file__).with_name("measured") / "sppf_speed.json"
SHAPES = [(1, 256, 20, 20), (1, 128, 40, 40), (1, 64, 80, 80)]


def time_blocks(shape, number=5, repeat=11):
    """CPU time (ms) of one forward pass of each block: `repeat` rounds, each timing `number`
    passes of SPP and then of SPPF (interleaved, so both see the same load), after one
    warm-up pass each. Per block: the mean pass of every round, their median, min and max.

    CPU time of this process, not wall time, so that other jobs on a shared
    machine disturb the figures less.
    """
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(0))
    blocks = {"spp": YoloSPP((5, 9, 13)), "sppf": SPPF()}
    runs = {name: [] for name in blocks}
    with torch.no_grad():
        for block in blocks.values():
            block(x)  # warm-up
        for _ in range(repeat):
            for name, block in blocks.items():
                start = time.process_time()
                for _ in range(number):
                    block(x)
                runs[name].append(1000 * (time.process_time() - start) / number)
    return {name: {"median": statistics.median(r), "min": min(r), "max": max(r), "runs": r}
            for name, r in runs.items()}


def machine():
    return {"cpu": cpu_name(), "torch": torch.__version__.split("+")[0], "threads": torch.get_num_threads()}


def main():
    torch.set_num_threads(1)
    rows = [{"shape": list(s), **time_blocks(s)} for s in SHAPES]
    OUT.parent.mkdir(exist_ok=True)
    data = {"machine": machine(), "method": "CPU time per pass, 11 rounds of 5 passes, 1 thread",
            "rows": rows}
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(json.dumps(data, indent=1))


if __name__ == "__main__":
    main()

"""Machine-dependent: time YOLO's SPP(5, 9, 13) against SPPF. `python -m tools.outputs --measure spp`."""

from __future__ import annotations

import json
import platform
import time
import timeit
from pathlib import Path

import torch

from snippets.spp.yolo_block import SPPF, YoloSPP

OUT = Path(__file__).with_name("measured") / "sppf_speed.json"
SHAPES = [(1, 256, 20, 20), (1, 128, 40, 40), (1, 64, 80, 80)]


def time_blocks(shape, number=10, repeat=7):
    """Best-of-`repeat` mean CPU time (ms) of one forward pass of each block.

    CPU time of this process, not wall time, so that other jobs on a shared
    machine disturb the figures less.
    """
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(0))
    spp, sppf = YoloSPP((5, 9, 13)), SPPF()
    result = {}
    with torch.no_grad():
        for name, block in (("spp", spp), ("sppf", sppf)):
            block(x)  # warm-up
            runs = timeit.repeat(lambda b=block: b(x), number=number, repeat=repeat,
                                 timer=time.process_time)
            best = min(runs)
            result[name] = 1000 * best / number
    return result


def machine():
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "torch": torch.__version__.split("+")[0], "threads": torch.get_num_threads()}


def main():
    torch.set_num_threads(1)
    rows = [{"shape": list(s), **time_blocks(s)} for s in SHAPES]
    OUT.parent.mkdir(exist_ok=True)
    data = {"machine": machine(), "method": "CPU time, best of 7 x 10 passes, 1 thread",
            "rows": rows}
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(json.dumps(data, indent=1))


if __name__ == "__main__":
    main()

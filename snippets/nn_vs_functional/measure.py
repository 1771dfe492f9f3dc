"""Time nn.Xxx against F.xxx on this machine; writes measured/speed.json.

Run with `python -m tools.outputs --measure nn-vs-functional`. Each timing is the best of
9 timeit repeats on one thread, module and function interleaved, with the loop count
doubled until a repeat lasts at least a tenth of min_run_time.
"""

from __future__ import annotations

import json
import os
import platform
import timeit
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent / "measured" / "speed.json"


def cases(scale: int = 1):
    """(label, module, functional call, input) for each pair; scale shrinks the big case."""
    torch.manual_seed(0)
    conv = nn.Conv2d(16, 32, 3, padding=1)
    linear = nn.Linear(64, 64)
    relu = nn.ReLU()
    size = max(4, 32 // scale)
    return [
        (f"conv2d 8x16x{size}x{size}", conv,
         lambda x: F.conv2d(x, conv.weight, conv.bias, padding=1), torch.randn(8, 16, size, size)),
        ("linear 1x64", linear, lambda x: F.linear(x, linear.weight, linear.bias), torch.randn(1, 64)),
        ("relu 1x64", relu, F.relu, torch.randn(1, 64)),
    ]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def best_seconds(module, functional, x, min_run_time: float) -> tuple[float, float]:
    """Fastest per-call time of each, over 9 interleaved repeats (so both see the same load)."""
    timers = [timeit.Timer(lambda: module(x)), timeit.Timer(lambda: functional(x))]
    number = 1
    while timers[0].timeit(number) < min_run_time / 10:
        number *= 2
    runs = [[], []]
    for _ in range(9):
        for timer, times in zip(timers, runs, strict=True):
            times.append(timer.timeit(number) / number)
    return min(runs[0]), min(runs[1])


def measure(min_run_time: float = 1.0, scale: int = 1) -> dict:
    rows = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            for label, module, functional, x in cases(scale):
                module_s, function_s = best_seconds(module, functional, x, min_run_time)
                rows.append({"case": label, "module_us": module_s * 1e6,
                             "function_us": function_s * 1e6})
    finally:
        torch.set_num_threads(threads)
    return {
        "method": "timeit, best of 9 interleaved repeats, 1 thread, torch.no_grad()",
        "machine": f"{cpu_name()}, {os.cpu_count()} logical CPUs, {platform.system()}",
        "torch": torch.__version__.split("+")[0],
        "python": platform.python_version(),
        "rows": rows,
    }


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(measure(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}")


if __name__ == "__main__":
    main()

"""Time nn.Xxx against F.xxx on this machine; writes measured/speed.json.

Run with `python -m tools.outputs --measure nn-vs-functional`. Each case is timed in
ROUNDS rounds on one thread. A round times the module and the function once each
(timeit, the same loop count for both, their order alternating between rounds), so both
see the same machine load; the loop count is doubled until one timing lasts at least
min_run_time. For each case the file stores, in µs per call, the median, minimum and
maximum over the rounds of the module's time, of the function's time and of their
difference within a round (module minus function).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import timeit
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from tools.machine import cpu_name

OUT = Path(__file__).resolve().parent / "measured" / "speed.json"
ROUNDS = 11


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


def summary(values: list[float]) -> dict:
    """Median and spread (minimum, maximum) of per-call times in seconds, as µs."""
    return {"median": statistics.median(values) * 1e6,
            "min": min(values) * 1e6, "max": max(values) * 1e6}


def timed_rounds(module, functional, x, min_run_time: float,
                 rounds: int = ROUNDS) -> tuple[list[float], list[float]]:
    """Per-call seconds of the module and of the function, one pair per round."""
    timers = [timeit.Timer(lambda: module(x)), timeit.Timer(lambda: functional(x))]
    number = 1
    while timers[0].timeit(number) < min_run_time:
        number *= 2
    module_s, function_s = [], []
    for i in range(rounds):
        order = (0, 1) if i % 2 == 0 else (1, 0)  # alternate who goes first
        seconds = {j: timers[j].timeit(number) / number for j in order}
        module_s.append(seconds[0])
        function_s.append(seconds[1])
    return module_s, function_s


def measure(min_run_time: float = 0.5, scale: int = 1, rounds: int = ROUNDS) -> dict:
    rows = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            for label, module, functional, x in cases(scale):
                module_s, function_s = timed_rounds(module, functional, x, min_run_time, rounds)
                extra_s = [m - f for m, f in zip(module_s, function_s, strict=True)]
                rows.append({"case": label, "rounds": rounds,
                             "module_us": summary(module_s),
                             "function_us": summary(function_s),
                             "extra_us": summary(extra_s)})
    finally:
        torch.set_num_threads(threads)
    return {
        "method": f"timeit, {rounds} interleaved rounds, 1 thread, torch.no_grad(); "
                  "median [min, max] over the rounds",
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

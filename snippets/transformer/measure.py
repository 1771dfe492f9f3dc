"""Time of one layer over a sequence on this machine:
`python -m tools.outputs --measure transformer` writes measured/timings.json."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch
from torch import nn

from tools.machine import cpu_name

OUT = Path(__file__).resolve().parent / "measured" / "timings.json"
LENGTHS = (16, 32, 64, 128, 256, 512, 1024, 2048)


def machine() -> dict:
    return {"cpu": cpu_name(), "logical_cores": os.cpu_count(), "threads": torch.get_num_threads(),
            "torch": torch.__version__.split("+")[0], "python": platform.python_version()}


def layers(d: int, heads: int) -> dict:
    torch.manual_seed(0)
    attn = nn.MultiheadAttention(d, heads, batch_first=True).eval()
    rnn = nn.RNN(d, d, batch_first=True).eval()
    lstm = nn.LSTM(d, d, batch_first=True).eval()
    return {
        "self-attention": lambda x: attn(x, x, x, need_weights=False),
        "RNN (tanh)": lambda x: rnn(x),
        "LSTM": lambda x: lstm(x),
    }


def time_layers(lengths=LENGTHS, d: int = 256, heads: int = 4, batch: int = 8,
                rounds: int = 11, budget_s: float = 2.0) -> dict:
    """Forward time (inference mode) of each layer at each length: one warm-up round, then
    `rounds` interleaved rounds, each (layer, length) pair timed once per round. A pair whose
    warm-up run exceeds budget_s is left out. Each pair keeps its runs, their median, min
    and max."""
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds!r}")
    fns = layers(d, heads)
    gen = torch.Generator().manual_seed(0)
    inputs = {n: torch.randn(batch, n, d, generator=gen) for n in lengths}
    runs = {name: {} for name in fns}
    with torch.inference_mode():
        for n in lengths:  # warm-up: decides which pairs are timed
            for name, fn in fns.items():
                start = time.process_time()
                fn(inputs[n])
                if time.process_time() - start <= budget_s:
                    runs[name][n] = []
        for _ in range(rounds):
            for n in lengths:
                for name, fn in fns.items():
                    if n in runs[name]:
                        start = time.process_time()
                        fn(inputs[n])
                        runs[name][n].append(time.process_time() - start)
    return {name: [{"n": n, "median": statistics.median(r), "min": min(r), "max": max(r),
                    "runs": r} for n, r in sorted(times.items())]
            for name, times in runs.items()}


def main(out: Path = OUT, **kwargs) -> dict:
    settings = {"d": 256, "heads": 4, "batch": 8, "rounds": 11, "lengths": list(LENGTHS)}
    settings.update(kwargs)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: steadier on a machine shared with other jobs
    try:
        data = {
            "what": "CPU time (time.process_time) of one forward pass of one layer "
                    "(torch.inference_mode, one thread) on a (batch, n, d) float32 input: "
                    "nn.MultiheadAttention self-attention vs nn.RNN and nn.LSTM with hidden "
                    "size d; one warm-up round, then `rounds` interleaved rounds; every run "
                    "kept, with its median, min and max, in seconds",
            "machine": machine(),
            "settings": settings,
            "results": time_layers(settings["lengths"], settings["d"], settings["heads"],
                                   settings["batch"], settings["rounds"]),
        }
    finally:
        torch.set_num_threads(threads)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    return data


# --8<-- [start:measured_cost]
import json
from pathlib import Path

if __name__ == "__main__":
    data = json.loads(Path("timings.json").read_text())  # in the current folder
    m, s = data["machine"], data["settings"]
    print(f"{m['cpu']}, {m['logical_cores']} cores, {m['threads']} thread,"
          f" torch {m['torch']}; d={s['d']}, batch {s['batch']}; {s['rounds']} runs each")
    print("ms per layer: median [fastest - slowest run]")
    names = list(data["results"])
    print("     n" + "".join(f"{name:>27}" for name in names))
    table = {name: {r["n"]: r for r in rows} for name, rows in data["results"].items()}
    for n in s["lengths"]:
        cells = []
        for name in names:
            r = table[name].get(n)
            cell = (f"{r['median'] * 1e3:.2f} [{r['min'] * 1e3:.2f} - {r['max'] * 1e3:.2f}]"
                    if r else "-")
            cells.append(f"{cell:>27}")
        print(f"{n:6d}" + "".join(cells))
    print("median time at 2n / median time at n, for n = "
          + ", ".join(str(n) for n in s["lengths"][:-1]) + ":")
    for name in names:
        rows = data["results"][name]
        growth = [b["median"] / a["median"] for a, b in zip(rows[:-1], rows[1:], strict=True)]
        print(f"{name:>16}  " + " ".join(f"{g:5.2f}" for g in growth))
# --8<-- [end:measured_cost]

"""Time of one layer over a sequence on this machine:
`python -m tools.outputs --measure transformer` writes measured/timings.json."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import torch
from torch import nn

OUT = Path(__file__).resolve().parent / "measured" / "timings.json"
LENGTHS = (16, 32, 64, 128, 256, 512, 1024, 2048)


def machine() -> dict:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "logical_cores": os.cpu_count(), "threads": torch.get_num_threads(),
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
                rounds: int = 5, budget_s: float = 2.0) -> dict:
    """Fastest forward time (inference mode) of each layer at each length, in
    interleaved rounds; a (layer, length) pair is dropped once a run exceeds budget_s."""
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds!r}")
    fns = layers(d, heads)
    best = {name: {} for name in fns}
    gen = torch.Generator().manual_seed(0)
    inputs = {n: torch.randn(batch, n, d, generator=gen) for n in lengths}
    with torch.inference_mode():
        for _ in range(rounds):
            for n in lengths:
                for name, fn in fns.items():
                    if best[name].get(n, 0.0) > budget_s:
                        continue
                    start = time.process_time()
                    fn(inputs[n])
                    elapsed = time.process_time() - start
                    best[name][n] = min(best[name].get(n, float("inf")), elapsed)
    return {name: [{"n": n, "seconds": s} for n, s in sorted(times.items())]
            for name, times in best.items()}


def main(out: Path = OUT, **kwargs) -> dict:
    settings = {"d": 256, "heads": 4, "batch": 8, "rounds": 7, "lengths": list(LENGTHS)}
    settings.update(kwargs)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: steadier on a machine shared with other jobs
    try:
        data = {
            "what": "CPU time (time.process_time) of one forward pass of one layer "
                    "(torch.inference_mode, one thread) on a (batch, n, d) float32 input: "
                    "nn.MultiheadAttention self-attention vs nn.RNN and nn.LSTM with hidden "
                    "size d; fastest of `rounds` interleaved runs",
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
          f" torch {m['torch']}; d={s['d']}, batch {s['batch']}")
    names = list(data["results"])
    print("     n  " + "".join(f"{name:>16}" for name in names) + "   (ms per layer)")
    table = {name: {r["n"]: r["seconds"] for r in rows}
             for name, rows in data["results"].items()}
    for n in s["lengths"]:
        cells = [f"{table[name][n] * 1e3:16.2f}" if n in table[name] else f"{'-':>16}"
                 for name in names]
        print(f"{n:6d}  " + "".join(cells))
# --8<-- [end:measured_cost]

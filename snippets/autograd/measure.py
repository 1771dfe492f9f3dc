"""Time of a whole Jacobian by forward mode (jacfwd) and by reverse mode (jacrev) on this
machine: `python -m tools.outputs --measure autograd` writes measured/jacobian.json."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch
from torch.func import jacfwd, jacrev

from snippets.autograd.modes import mlp
from tools.machine import cpu_name

OUT = Path(__file__).resolve().parent / "measured" / "jacobian.json"
SIZES = (4, 16, 64, 256, 1024, 4096)


def machine() -> dict:
    return {"cpu": cpu_name(), "logical_cores": os.cpu_count(), "threads": torch.get_num_threads(),
            "torch": torch.__version__.split("+")[0], "python": platform.python_version()}


def quartiles(runs: list[float]) -> dict:
    q1, median, q3 = statistics.quantiles(runs, n=4, method="inclusive")
    return {"median": median, "q1": q1, "q3": q3, "min": min(runs), "max": max(runs)}


def time_modes(sizes=SIZES, few: int = 4, hidden: int = 64, rounds: int = 21,
               min_sample_s: float = 0.02) -> dict:
    """CPU time of one Jacobian of mlp (float32) by jacfwd and by jacrev, for a wide function
    (R^size -> R^few) and a tall one (R^few -> R^size) at each size. Two warm-up calls; the
    second decides how many calls one sample makes (enough for min_sample_s); then `rounds` interleaved
    rounds, each timing every (shape, mode, size) once. Returns per-call seconds: every run,
    with median, quartiles, min and max."""
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds!r}")
    gen = torch.Generator().manual_seed(0)
    cases = {}
    for shape in ("wide", "tall"):
        for size in sizes:
            n, m = (size, few) if shape == "wide" else (few, size)
            f = mlp(n, m, hidden, dtype=torch.float32)
            x = torch.randn(n, generator=gen)
            for mode, transform in (("forward", jacfwd), ("reverse", jacrev)):
                jac = transform(f)
                jac(x)  # warm-up: the first call pays one-time costs
                start = time.process_time()
                jac(x)
                once = max(time.process_time() - start, 1e-6)
                calls = max(1, round(min_sample_s / once))
                cases[shape, mode, size] = (jac, x, calls, [])
    for _ in range(rounds):
        for jac, x, calls, runs in cases.values():
            start = time.process_time()
            for _ in range(calls):
                jac(x)
            runs.append((time.process_time() - start) / calls)
    results = {"wide": {"forward": [], "reverse": []}, "tall": {"forward": [], "reverse": []}}
    for (shape, mode, size), (_, _, calls, runs) in cases.items():
        results[shape][mode].append({"size": size, "calls_per_run": calls, **quartiles(runs),
                                     "runs": runs})
    return results


def main(out: Path = OUT, min_sample_s: float = 0.02, **kwargs) -> dict:
    settings = {"few": 4, "hidden": 64, "rounds": 21, "sizes": list(SIZES)}
    settings.update(kwargs)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: steadier on a machine shared with other jobs
    try:
        data = {
            "what": "CPU time (time.process_time, one thread) of one whole Jacobian of "
                    "x -> W2 tanh(W1 x) in float32 with `hidden` units, by torch.func.jacfwd "
                    "(forward mode) and torch.func.jacrev (reverse mode); wide: R^size -> "
                    "R^few, tall: R^few -> R^size; two warm-up calls, then `rounds` interleaved "
                    "rounds; every run kept (seconds per Jacobian), with median and quartiles",
            "machine": machine(),
            "settings": settings,
            "results": time_modes(settings["sizes"], settings["few"], settings["hidden"],
                                  settings["rounds"], min_sample_s),
        }
    finally:
        torch.set_num_threads(threads)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n")
    return data


# --8<-- [start:measured_jacobian]
import json
from pathlib import Path

if __name__ == "__main__":
    data = json.loads(Path("jacobian.json").read_text())  # in the current folder
    m, s = data["machine"], data["settings"]
    print(f"{m['cpu']}, {m['threads']} thread, torch {m['torch']}; hidden {s['hidden']}, "
          f"few = {s['few']}; {s['rounds']} interleaved rounds")
    for shape, what in (("wide", "R^size -> R^few"), ("tall", "R^few -> R^size")):
        fwd = {r["size"]: r for r in data["results"][shape]["forward"]}
        rev = {r["size"]: r for r in data["results"][shape]["reverse"]}
        print(f"{shape} ({what}), ms per Jacobian: median [quartiles]")
        print("  size        jacfwd (forward)        jacrev (reverse)  fwd/rev"
              "  rounds reverse won")
        for n in s["sizes"]:
            f, r = fwd[n], rev[n]
            won = sum(tr < tf for tf, tr in zip(f["runs"], r["runs"], strict=True))
            cells = [f"{x['median'] * 1e3:.3f} [{x['q1'] * 1e3:.3f}-{x['q3'] * 1e3:.3f}]"
                     for x in (f, r)]
            print(f"{n:6d}{cells[0]:>24}{cells[1]:>24}{f['median'] / r['median']:9.3g}"
                  f"{won:11d} of {len(f['runs'])}")
# --8<-- [end:measured_jacobian]

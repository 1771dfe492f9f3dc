"""The 2-D run under each of PyTorch's CPU kernels, in float32 and float64, on this machine:
`python -m tools.outputs --measure face-recognition` writes measured/kernels.json.

PyTorch picks its vectorised kernels by ATEN_CPU_CAPABILITY (default = no SIMD beyond SSE,
avx2, avx512), so one machine can run what other CPUs would. Each run is a fresh process
with one thread; the page quotes the float32 results and says the float64 ones agree.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from tools.machine import cpu_name

OUT = Path(__file__).resolve().parent / "measured" / "kernels.json"
ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
import torch
from snippets.face_recognition.toy2d import mean_intra_class_angle, smallest_gap, train_2d

dtype = getattr(torch, sys.argv[1])
result = {"capability": torch.backends.cpu.get_cpu_capability()}
for kind in ("softmax", "arcface"):
    feats, labels = train_2d(kind, dtype=dtype)
    angle, gap = mean_intra_class_angle(feats, labels), smallest_gap(feats, labels)
    result[kind] = {"mean_angle": angle, "smallest_gap": gap,
                    "printed": f"{kind:<8}: mean angle to own class {angle:5.2f} deg, "
                               f"smallest class gap {gap:5.1f} deg"}
print(json.dumps(result))
"""


def capabilities() -> list[str]:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return ["default"]
    return ["default"] + ["avx2"] * ("avx2" in flags) + ["avx512"] * ("avx512f" in flags)


def run(capability: str, dtype: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("MKL_CBWR", "ONEDNN_MAX_CPU_ISA")}
    env |= {"ATEN_CPU_CAPABILITY": capability, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, dtype], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=600)
    result = json.loads(done.stdout.splitlines()[-1])
    if result["capability"].lower() != capability:
        raise RuntimeError(f"asked for {capability}, PyTorch ran {result['capability']}")
    return {"capability": capability, "dtype": dtype} | {k: result[k] for k in ("softmax", "arcface")}


def main(out: Path = OUT) -> dict:
    import torch

    data = {
        "what": "toy2d.train_2d (seed 1, 300 steps) for softmax and ArcFace, in a fresh process "
                "per PyTorch CPU kernel (ATEN_CPU_CAPABILITY) and dtype, one thread; mean angle "
                "to the own class and smallest class gap in degrees, and the line the page's "
                "block would print",
        "machine": {"cpu": cpu_name(),
                    "torch": torch.__version__.split("+")[0], "python": platform.python_version()},
        "runs": [run(cap, dtype) for dtype in ("float32", "float64") for cap in capabilities()],
    }
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


if __name__ == "__main__":
    main()

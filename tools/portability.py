"""`make outputs-check`: regenerate every output under other CPUs' kernels and compare.

One machine can compute what others would: PyTorch picks its vectorised kernels by
ATEN_CPU_CAPABILITY (default = no SIMD beyond SSE, avx2, avx512), MKL its code path by
MKL_CBWR (COMPATIBLE: the one every x86 CPU runs), oneDNN its instruction set by
ONEDNN_MAX_CPU_ISA, and reductions split differently over OMP_NUM_THREADS threads. Each
setting below runs the stale-output check (tools/outputs.stale_files) in a fresh process and
the table says which articles a reader with such a machine would see differ.

    python -m tools.portability [SLUG ...] [--jobs N]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tools.regions import ROOT, pages


def settings() -> list[dict[str, str]]:
    has_avx512 = "avx512f" in open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else False
    capabilities = ["default", "avx2"] + (["avx512"] if has_avx512 else [])
    matrix = [
        {"ATEN_CPU_CAPABILITY": cap, "OMP_NUM_THREADS": threads} | ({"MKL_CBWR": "COMPATIBLE"} if cbwr else {})
        for cap in capabilities for cbwr in (False, True) for threads in ("1", "2")
    ]
    # The oldest x86 a reader may have: no AVX at all in any library.
    matrix.append({"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE", "ONEDNN_MAX_CPU_ISA": "SSE41",
                   "OMP_NUM_THREADS": "1"})
    return matrix


CHILD = """
import json, sys
from tools.outputs import stale_files
print(json.dumps({slug: stale_files(slug) for slug in sys.argv[1:]}))
"""


def check(setting: dict[str, str], slugs: list[str]) -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("MKL_CBWR", "ONEDNN_MAX_CPU_ISA")}
    env |= setting | {"MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, *slugs], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode:
        return {"(error)": [done.stderr[-2000:]]}
    return json.loads(done.stdout.splitlines()[-1])


def main(argv: list[str]) -> int:
    jobs = int(argv[argv.index("--jobs") + 1]) if "--jobs" in argv else 2
    slugs = [a for a in argv if not a.startswith("--") and not a.isdigit()] or sorted(pages("zh"))
    matrix = settings()
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda s: check(s, slugs), matrix))
    failed = 0
    print(f"{'setting':<72} result")
    for setting, stale in zip(matrix, results, strict=True):
        bad = {slug: files for slug, files in stale.items() if files}
        failed += bool(bad)
        name = " ".join(f"{k}={v}" for k, v in setting.items())
        print(f"{name:<72} {'same' if not bad else 'DIFFERS: ' + ', '.join(sorted(bad))}")
        for _, files in sorted(bad.items()):
            for line in files:
                print("    " + line.splitlines()[0][:200])
    print(f"{len(matrix) - failed} of {len(matrix)} settings reproduce the committed outputs of {len(slugs)} articles")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How much faster SPPF is than SPP(5, 9, 13): counted, and measured by measure.py."""

# --8<-- [start:sppf_speed]
import json
from pathlib import Path

# Comparisons per output value when every window is scanned in full:
print("comparisons per output: SPP", 5 * 5 + 9 * 9 + 13 * 13, "| SPPF", 3 * 5 * 5)

# Timings measured by the repository's measure.py; download sppf_speed.json
# into the folder this code runs in.
measured = json.loads(Path("sppf_speed.json").read_text())
machine = measured["machine"]
print(f"{machine['cpu']}, torch {machine['torch']}: {measured['method']}")
print("ms per pass: median [fastest - slowest round];"
      " SPP/SPPF: ratio of medians [smallest - largest ratio of extremes]")
for row in measured["rows"]:
    shape = "x".join(map(str, row["shape"]))
    spp, sppf = row["spp"], row["sppf"]
    print(f"{shape:>12}  SPP {spp['median']:6.2f} [{spp['min']:.2f}-{spp['max']:.2f}]"
          f"  SPPF {sppf['median']:5.2f} [{sppf['min']:.2f}-{sppf['max']:.2f}]"
          f"  SPP/SPPF {spp['median'] / sppf['median']:.1f}"
          f" [{spp['min'] / sppf['max']:.1f}-{spp['max'] / sppf['min']:.1f}]")
# --8<-- [end:sppf_speed]

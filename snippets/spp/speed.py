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
for row in measured["rows"]:
    shape = "x".join(map(str, row["shape"]))
    print(f"{shape:>12}: SPP {row['spp']:7.2f} ms, SPPF {row['sppf']:6.2f} ms, "
          f"{row['spp'] / row['sppf']:.1f}x faster")
# --8<-- [end:sppf_speed]

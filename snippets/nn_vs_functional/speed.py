"""The measured speed of module vs function (numbers from measured/speed.json)."""

# --8<-- [start:measured_speed]
import json
from pathlib import Path

# Measured by the repository's measure.py on the machine named in the file;
# download speed.json into the folder this code runs in.
path = Path("speed.json")
data = json.loads(path.read_text(encoding="utf-8"))
print("machine:", data["machine"], "| torch", data["torch"])
print("method: ", data["method"])


def spread(t):  # µs per call: median [min, max] over the rounds
    return f"{t['median']:.2f} [{t['min']:.2f}, {t['max']:.2f}]"


print(f"{'case':<18} {'nn.Xxx µs':<26} {'F.xxx µs':<26} extra µs (nn - F, per round)")
for row in data["rows"]:
    module, function, extra = row["module_us"], row["function_us"], row["extra_us"]
    print(f"{row['case']:<18} {spread(module):<26} {spread(function):<26} {spread(extra)}")
# --8<-- [end:measured_speed]

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
print(f"{'case':<20}{'nn.Xxx µs':>11}{'F.xxx µs':>10}{'extra µs':>10}")
for row in data["rows"]:
    extra = row["module_us"] - row["function_us"]
    module_us, function_us = row["module_us"], row["function_us"]
    print(f"{row['case']:<20}{module_us:>11.1f}{function_us:>10.1f}{extra:>10.1f}")
# --8<-- [end:measured_speed]

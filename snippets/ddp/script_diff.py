"""The difference between the single-process script and the DDP one, from the files."""

# --8<-- [start:minimal_diff]
import difflib
from pathlib import Path


def script_lines(path):
    """A script's program: its lines from the first region marker on, no markers."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# --8<--"))
    return [line for line in lines[start:] if not line.startswith("# --8<--")]


here = Path(__file__).parent  # snippets/ddp
single = script_lines(here / "train_single.py")
ddp = script_lines(here / "train.py")
diff = list(difflib.unified_diff(single, ddp, "train_single.py", "train.py",
                                 n=0, lineterm=""))
if __name__ == "__main__":
    print("\n".join(diff))
    added = sum(line[:1] == "+" and line[:3] != "+++" for line in diff)
    removed = sum(line[:1] == "-" and line[:3] != "---" for line in diff)
    print(f"# train.py: {len(ddp)} lines; {added} added, {removed} removed")
# --8<-- [end:minimal_diff]

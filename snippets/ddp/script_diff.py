"""The difference between the single-process script and the DDP one, from the files."""

# --8<-- [start:minimal_diff]
import difflib
from pathlib import Path


def script_lines(path):
    """A script's program: its lines from the first region marker on, no markers."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# --8<--"))
    return [line for line in lines[start:] if not line.startswith("# --8<--")]


def script_diff(single_path, ddp_path):
    """The unified diff, without context lines, from one script to the other."""
    single, ddp = script_lines(single_path), script_lines(ddp_path)
    return list(difflib.unified_diff(single, ddp, Path(single_path).name,
                                     Path(ddp_path).name, n=0, lineterm=""))


if __name__ == "__main__":
    # The two scripts, downloaded into the current folder.
    diff = script_diff("train_single.py", "train.py")
    print("\n".join(diff))
    added = sum(line[:1] == "+" and line[:3] != "+++" for line in diff)
    removed = sum(line[:1] == "-" and line[:3] != "---" for line in diff)
    print(f"# train.py: {len(script_lines('train.py'))} lines; "
          f"{added} added, {removed} removed")
# --8<-- [end:minimal_diff]

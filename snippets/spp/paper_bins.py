"""The SPP-net paper's sliding-window recipe (win = ceil(a/n), stride = floor(a/n)) vs adaptive bins."""

# --8<-- [start:paper_windows]
import math


def paper_windows(a, n):
    """Windows [start, end) of one pyramid level, as in Sec. 2.3 of the paper:
    window ceil(a/n), stride floor(a/n), no padding, over a side of length a."""
    if a < 1 or n < 1:
        raise ValueError(f"side a={a} and level n={n} must both be >= 1")
    win, stride = math.ceil(a / n), a // n
    if stride == 0:
        raise ValueError(f"side a={a} is smaller than the level n={n}: "
                         f"stride floor(a/n) is 0")
    count = (a - win) // stride + 1  # what a pooling layer actually produces
    return [(i * stride, i * stride + win) for i in range(count)]


if __name__ == "__main__":
    for a, n in [(13, 4), (13, 6), (10, 6), (7, 4), (14, 4)]:
        wins = paper_windows(a, n)
        end = wins[-1][1]
        print(f"a={a:>2} n={n}: {len(wins)} bins, last ends at {end:>2}: {wins}")
# --8<-- [end:paper_windows]


# --8<-- [start:adaptive_windows]
import torch
import torch.nn.functional as F


def adaptive_windows(a, n):
    """Bin i covers [floor(i*a/n), ceil((i+1)*a/n)): the paper's Appendix A and
    torch's adaptive pooling. Always n bins, together covering every cell."""
    if a < 1 or n < 1:
        raise ValueError(f"side a={a} and level n={n} must both be >= 1")
    return [((i * a) // n, -((-(i + 1) * a) // n)) for i in range(n)]


if __name__ == "__main__":
    torch.manual_seed(0)
    row = torch.randn(1, 1, 10)
    bins = adaptive_windows(10, 6)
    by_hand = torch.stack([row[..., s:e].amax(-1) for s, e in bins], dim=-1)
    print("a=10 n=6:", bins)
    same = torch.equal(by_hand, F.adaptive_max_pool1d(row, 6))
    print("equal to F.adaptive_max_pool1d:", same)
# --8<-- [end:adaptive_windows]


# needs: paper_windows, adaptive_windows
# --8<-- [start:sweep]
def sweep(sizes=range(4, 65), levels=(1, 2, 3, 4, 6)):
    """Per level: how the paper's windows compare with adaptive bins."""
    table = {}
    for n in levels:
        tally = {"small": 0, "count": 0, "tail": 0, "same": 0, "residues": set()}
        for a in sizes:
            if a < n:
                tally["small"] += 1  # stride floor(a/n) would be 0
                continue
            wins = paper_windows(a, n)
            if len(wins) != n:
                tally["count"] += 1
            elif wins != adaptive_windows(a, n):
                tally["tail"] += 1
            else:
                tally["same"] += 1
                tally["residues"].add(a % n)
        table[n] = tally
    return table


if __name__ == "__main__":
    print("level | a < n | too many bins | n bins, tail lost | same as adaptive")
    for n, t in sweep().items():
        print(f"{n:>5} | {t['small']:>5} | {t['count']:>13} | {t['tail']:>17} | "
              f"{t['same']:>3}  (a mod n in {sorted(t['residues'])})")
# --8<-- [end:sweep]

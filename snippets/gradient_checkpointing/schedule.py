"""Chen et al.'s (2016) three strategies as a simulated schedule on n layers."""

# --8<-- [start:three_strategies]
import math


def simulate(n, strategy, every=None):
    """Schedule forward, recompute and backward steps on a chain of n layers.

    a_0 is the input, a_i the output of layer i; the backward step of
    layer i needs a_(i-1). Strategies:
      "keep"      keep every a_i;
      "recompute" keep only a_0, recompute from it for every backward step;
      "segments"  keep every `every`-th a_i, recompute one segment at a
                  time and keep it until its backward steps are done.
    Returns (steps, held): steps[t] = (kind, layer); held[t] = outputs
    held after step t.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if strategy == "keep":
        checkpoints, keep_recomputed = set(range(n + 1)), True
    elif strategy == "recompute":
        checkpoints, keep_recomputed = {0}, False
    elif strategy == "segments":
        if not isinstance(every, int) or not 1 <= every <= n:
            raise ValueError(f"segments needs every in 1..{n}, got {every!r}")
        checkpoints, keep_recomputed = set(range(0, n + 1, every)), True
    else:
        raise ValueError("strategy must be 'keep', 'recompute' or"
                         f" 'segments', got {strategy!r}")

    held, steps, trace = {0}, [], []

    def step(kind, layer):
        steps.append((kind, layer))
        trace.append(len(held))

    for i in range(1, n + 1):  # forward; drop an input once used
        held.add(i)
        if i - 1 not in checkpoints:
            held.discard(i - 1)
        step("forward", i)
    for i in range(n, 0, -1):  # backward, last layer first
        if i - 1 not in held:  # recompute from the nearest held output
            j = max(k for k in held if k < i - 1)
            for m in range(j + 1, i):
                held.add(m)
                if not keep_recomputed and m - 1 not in checkpoints:
                    held.discard(m - 1)
                step("recompute", m)
        held.discard(i)
        step("backward", i)
    return steps, trace


if __name__ == "__main__":
    n = 16
    k = math.isqrt(n)
    print(f"n = {n} layers        forward computations   peak outputs held")
    for label, strategy, every in (("keep everything", "keep", None),
                                   ("recompute everything", "recompute", None),
                                   (f"checkpoint every {k}", "segments", k)):
        steps, held = simulate(n, strategy, every)
        computed = sum(kind != "backward" for kind, _ in steps)
        print(f"{label:22s} {computed:20d} {max(held):19d}")
# --8<-- [end:three_strategies]

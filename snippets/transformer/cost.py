"""Cost per layer, after Table 1 of Vaswani et al. (2017)."""

# --8<-- [start:cost_per_layer]
def per_layer_cost(n, d):
    """Multiply-adds of one layer's core over n positions of width d.

    self-attention: Q K^T and weights @ V, n*n*d each: O(n^2 d), all at once
    recurrent:      W_xh x_t + W_hh h_(t-1), 2*d*d per step: O(n d^2), n steps
    (Both leave out the 4*n*d^2 of attention's Q, K, V, O projections and
    anything else a layer does; Table 1 compares the cores.)
    """
    if n < 1 or d < 1:
        raise ValueError(f"n and d must be positive, got n={n}, d={d}")
    return {"self-attention": {"ops": 2 * n * n * d, "sequential": 1, "path": 1},
            "recurrent": {"ops": 2 * n * d * d, "sequential": n, "path": n}}


if __name__ == "__main__":
    d = 512
    print(f"d = {d}    self-attention           recurrent")
    print("    n    mult-adds  seq. steps   mult-adds  seq. steps   ratio")
    for n in (32, 128, 256, 512, 1024, 4096):
        c = per_layer_cost(n, d)
        a, r = c["self-attention"], c["recurrent"]
        print(f"{n:5d}   {a['ops']:10.2e}  {a['sequential']:10d}   {r['ops']:9.2e}"
              f"  {r['sequential']:10d}   {a['ops'] / r['ops']:5.2f}")
# --8<-- [end:cost_per_layer]

"""A memory budget for training a 7B model: what checkpointing can and cannot shrink."""

# --8<-- [start:training_state]
def training_state_bytes(n_params, weights=2, grads=2, optimizer=12):
    """Bytes held for the whole of mixed-precision Adam training, any batch.

    16-bit weights (2 B) and gradients (2 B); Adam keeps an fp32 master
    copy of the weights and its moments m and v (4 + 4 + 4 = 12 B).
    """
    if n_params <= 0:
        raise ValueError(f"n_params must be positive, got {n_params!r}")
    return n_params * (weights + grads + optimizer)


if __name__ == "__main__":
    state = training_state_bytes(7e9)
    print(f"7B parameters x 16 B = {state / 1e9:.0f} GB before any activation")
# --8<-- [end:training_state]


# --8<-- [start:activation_estimate]
def activation_bytes(seq, batch, hidden, heads, layers, recompute="none"):
    """Activations of a GPT-style transformer, Korthikanti et al. (2022),
    Table 2: 16-bit activations, no tensor or sequence parallelism.

    Per layer:
      none:      s*b*h*(34 + 5*a*s/h)   5as/h: the a attention matrices
      selective: s*b*h*34               attention scores are recomputed
      full:      s*b*h*2                only the layer input is kept
    """
    sizes = {"seq": seq, "batch": batch, "hidden": hidden, "heads": heads,
             "layers": layers}
    for name, value in sizes.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    s, b, h, a = seq, batch, hidden, heads
    per_layer = {"none": s * b * h * (34 + 5 * a * s / h),
                 "selective": s * b * h * 34,
                 "full": s * b * h * 2}
    if recompute not in per_layer:
        raise ValueError(f"recompute must be one of {sorted(per_layer)},"
                         f" got {recompute!r}")
    return layers * per_layer[recompute]
# --8<-- [end:activation_estimate]


# needs: training_state, activation_estimate
# --8<-- [start:budget_7b]
if __name__ == "__main__":
    # LLaMA-7B's shape (Touvron et al. 2023)
    shape = {"hidden": 4096, "heads": 32, "layers": 32}
    state = training_state_bytes(7e9) / 1e9
    print("batch 1   weights+grads+Adam   activations (GB)")
    print("seq len   (GB, fixed)          none  selective  full recompute")
    for seq in (512, 1024, 2048, 4096, 8192):
        none, selective, full = (
            activation_bytes(seq, 1, **shape, recompute=r) / 1e9
            for r in ("none", "selective", "full"))
        print(f"{seq:7d}   {state:9.0f}          {none:5.1f}  {selective:9.1f}"
              f"  {full:14.2f}")
# --8<-- [end:budget_7b]

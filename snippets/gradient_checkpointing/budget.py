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
def activation_bytes(seq, batch, hidden, heads, layers, attention="eager",
                     recompute="none", value_bytes=2, mask_bytes=1):
    """Activations of a GPT-style transformer, Korthikanti et al. (2022),
    Table 2: values of value_bytes (2 in the paper), dropout masks of
    mask_bytes (1 in the paper), no tensor or sequence parallelism.

    Per layer, 16*s*b*h values and 2*s*b*h mask entries that grow with h
    (34*s*b*h bytes in the paper), plus, when attention="eager" stores the
    s x s scores, per score the softmax output and the dropout output (a
    value each) and the dropout mask (5*a*s*s*b bytes in the paper).
    attention="flash" (a fused kernel such as F.scaled_dot_product_attention's
    flash backend) stores no s x s tensor.
    recompute="selective" recomputes the attention scores (the same bytes
    as "flash"); "full" keeps only each layer's input, 2*s*b*h.
    """
    sizes = {"seq": seq, "batch": batch, "hidden": hidden, "heads": heads,
             "layers": layers, "value_bytes": value_bytes,
             "mask_bytes": mask_bytes}
    for name, value in sizes.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if attention not in ("eager", "flash"):
        raise ValueError(f"attention must be 'eager' or 'flash', got {attention!r}")
    s, b, h, a = seq, batch, hidden, heads
    hidden_size = s * b * h * (16 * value_bytes + 2 * mask_bytes)
    scores = (a * s * s * b * (2 * value_bytes + mask_bytes)
              if attention == "eager" else 0)
    per_layer = {"none": hidden_size + scores,
                 "selective": hidden_size,
                 "full": s * b * h * value_bytes}
    if recompute not in per_layer:
        raise ValueError(f"recompute must be one of {sorted(per_layer)},"
                         f" got {recompute!r}")
    return layers * per_layer[recompute]
# --8<-- [end:activation_estimate]


# needs: training_state, activation_estimate
# --8<-- [start:budget_7b]
import math

if __name__ == "__main__":
    # The paper's GPT layer at LLaMA-7B's width, heads and depth
    # (Touvron et al. 2023); batch 1, 1-byte dropout masks as in the paper.
    shape = {"hidden": 4096, "heads": 32, "layers": 32}
    state = training_state_bytes(7e9) / 1e9
    print("batch 1   weights+grads+Adam   activations (GB)")
    print("seq len   (GB, fixed)          eager attention  flash attention"
          "  full recompute")
    for seq in (512, 1024, 2048, 4096, 8192):
        eager, flash = (activation_bytes(seq, 1, **shape, attention=kind) / 1e9
                        for kind in ("eager", "flash"))
        full = activation_bytes(seq, 1, **shape, recompute="full") / 1e9
        print(f"{seq:7d}   {state:9.0f}          {eager:15.1f}  {flash:15.1f}"
              f"  {full:14.2f}")
    per_token = activation_bytes(1, 1, **shape, attention="flash")
    print("flash attention: activations pass the state from seq",
          math.ceil(training_state_bytes(7e9) / per_token))
# --8<-- [end:budget_7b]

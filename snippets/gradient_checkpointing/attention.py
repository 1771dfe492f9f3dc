"""What one GPT layer saves for backward: eager attention against F.scaled_dot_product_attention."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.gradient_checkpointing.budget import activation_bytes
from snippets.gradient_checkpointing.mlp import saved_bytes

# --8<-- [start:gpt_layer]
import torch
import torch.nn.functional as F
from torch import nn


class GPTLayer(nn.Module):
    """x + Dropout(Attention(LayerNorm(x))), then x + Dropout(MLP(LayerNorm(x))).

    attention="eager" computes softmax(Q K^T / sqrt(d)), dropout, then @ V,
    so autograd can keep the s x s scores; attention="sdpa" makes one call
    to F.scaled_dot_product_attention.
    """

    def __init__(self, hidden, heads, attention="eager", dropout=0.1,
                 attention_dropout=0.1):
        super().__init__()
        if attention not in ("eager", "sdpa"):
            raise ValueError(f"attention must be 'eager' or 'sdpa', got {attention!r}")
        if hidden % heads:
            raise ValueError(f"heads ({heads}) must divide hidden ({hidden})")
        self.heads, self.attention = heads, attention
        self.dropout, self.attention_dropout = dropout, attention_dropout
        self.norm1, self.norm2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.out = nn.Linear(hidden, hidden)
        self.fc1, self.fc2 = nn.Linear(hidden, 4 * hidden), nn.Linear(4 * hidden, hidden)

    def attend(self, x):
        b, s, h = x.shape
        q, k, v = (self.qkv(x).view(b, s, 3, self.heads, h // self.heads)
                   .permute(2, 0, 3, 1, 4))  # each (b, heads, s, d)
        p = self.attention_dropout if self.training else 0.0
        if self.attention == "eager":
            scores = q @ k.transpose(-2, -1) / (h // self.heads) ** 0.5
            y = F.dropout(scores.softmax(dim=-1), p) @ v
        else:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p)
        return self.out(y.transpose(1, 2).reshape(b, s, h))

    def forward(self, x):
        p = self.dropout if self.training else 0.0
        x = x + F.dropout(self.attend(self.norm1(x)), p)
        return x + F.dropout(self.fc2(F.gelu(self.fc1(self.norm2(x)))), p)
# --8<-- [end:gpt_layer]


# needs: gpt_layer, mlp.py:saved_bytes, budget.py:activation_estimate
# --8<-- [start:layer_saved_bytes]
import contextlib

import torch
from torch.nn.attention import SDPBackend, sdpa_kernel

CASES = {  # name: (attention, its dropout, SDPA backend forced, formula)
    "eager, dropout 0.1": ("eager", 0.1, None, "eager"),
    "sdpa, dropout 0.1": ("sdpa", 0.1, None, "eager"),
    "sdpa flash, no dropout": ("sdpa", 0.0, SDPBackend.FLASH_ATTENTION, "flash"),
}


def layer_saved_bytes(case, seq, batch=2, hidden=64, heads=4):
    """Bytes one float32 GPTLayer saves for backward (parameters left out)."""
    attention, attention_dropout, backend, _ = CASES[case]
    torch.manual_seed(0)
    layer = GPTLayer(hidden, heads, attention, dropout=0.1,
                     attention_dropout=attention_dropout)
    x = torch.randn(batch, seq, hidden, requires_grad=True)
    kernel = sdpa_kernel(backend) if backend else contextlib.nullcontext()
    with kernel:
        _, nbytes = saved_bytes(lambda: layer(x), layer)
    return nbytes


if __name__ == "__main__":
    b, h, a = 2, 64, 4
    print(f"one GPT layer, float32, batch {b}, hidden {h}, {a} heads, on CPU;"
          " formula with 4-byte values and masks")
    print("case                     seq   saved B  formula B  rest B/token")
    for case, (*_, kind) in CASES.items():
        for seq in (32, 64, 128):
            nbytes = layer_saved_bytes(case, seq, b, h, a)
            formula = activation_bytes(seq, b, h, a, layers=1, attention=kind,
                                       value_bytes=4, mask_bytes=4)
            rest = (nbytes - formula) / (seq * b)
            print(f"{case:23s} {seq:4d}  {nbytes:8d}  {formula:9d}"
                  f"  {rest:12.0f}")
# --8<-- [end:layer_saved_bytes]

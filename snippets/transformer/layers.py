"""An encoder layer with residual + LayerNorm (post-LN and pre-LN), and a small
encoder-decoder with shared, tied embeddings."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.transformer.attention import MultiHeadAttention

# needs: attention.py:multi_head
# --8<-- [start:encoder_layer]
import torch
from torch import nn


class EncoderLayer(nn.Module):
    """Self-attention and a position-wise feed-forward net, each in a residual block.

    post-LN (the paper): x = LayerNorm(x + Sublayer(x))
    pre-LN (common now): x = x + Sublayer(LayerNorm(x))
    """

    def __init__(self, d_model, heads, d_ff, pre_ln=False):
        super().__init__()
        self.pre_ln = pre_ln
        self.attn = MultiHeadAttention(d_model, heads)
        # FFN(x) = max(0, x W1 + b1) W2 + b2
        self.ffn = nn.Sequential(nn.Linear(d_model, d_ff), nn.ReLU(),
                                 nn.Linear(d_ff, d_model))
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, key_padding_mask=None):
        def self_attention(t):
            return self.attn(t, t, t, key_padding_mask=key_padding_mask)[0]

        if self.pre_ln:
            x = x + self_attention(self.norm1(x))
            return x + self.ffn(self.norm2(x))
        x = self.norm1(x + self_attention(x))
        return self.norm2(x + self.ffn(x))

    @torch.no_grad()
    def copy_from(self, layer: nn.TransformerEncoderLayer):
        self.attn.copy_from(layer.self_attn)
        self.ffn[0].load_state_dict(layer.linear1.state_dict())
        self.ffn[2].load_state_dict(layer.linear2.state_dict())
        self.norm1.load_state_dict(layer.norm1.state_dict())
        self.norm2.load_state_dict(layer.norm2.state_dict())
        return self


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    for pre_ln in (False, True):
        ref = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                         norm_first=pre_ln,
                                         dtype=torch.float64).eval()
        ours = EncoderLayer(16, 4, 32, pre_ln=pre_ln).double().copy_from(ref)
        same = torch.allclose(ours(x), ref(x), rtol=0, atol=1e-12)
        name = "pre-LN" if pre_ln else "post-LN"
        print(f"{name}: equals nn.TransformerEncoderLayer(norm_first={pre_ln}):"
              f" {same}")
# --8<-- [end:encoder_layer]


# On the page this comes from the earlier block that `# needs:` names.
from snippets.transformer.positional import sinusoidal_encoding

# needs: positional.py:sinusoidal_pe
# --8<-- [start:seq2seq_model]
import math

import torch
from torch import nn


class Seq2SeqTransformer(nn.Module):
    """Token ids in, next-token logits out. One embedding matrix serves the source,
    the target and (transposed) the output projection, as in the paper."""

    def __init__(self, vocab, d_model=512, heads=8, d_ff=2048, layers=6,
                 dropout=0.1, max_len=1024):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab, d_model)
        self.register_buffer("pe", sinusoidal_encoding(max_len, d_model),
                             persistent=False)
        self.drop = nn.Dropout(dropout)
        self.core = nn.Transformer(d_model, heads, layers, layers, d_ff, dropout,
                                   batch_first=True)

    def embed_tokens(self, ids):
        # the paper multiplies the embedding by sqrt(d_model) before adding PE
        x = self.embed(ids) * math.sqrt(self.d_model)
        return self.drop(x + self.pe[: ids.shape[1]])

    def forward(self, src, tgt, src_padding=None, tgt_padding=None):
        causal = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])
        h = self.core(self.embed_tokens(src), self.embed_tokens(tgt),
                      tgt_mask=causal, tgt_is_causal=True,
                      src_key_padding_mask=src_padding,
                      tgt_key_padding_mask=tgt_padding,
                      memory_key_padding_mask=src_padding)
        return h @ self.embed.weight.T  # tied output projection


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer(vocab=100, d_model=32, heads=4, d_ff=64,
                               layers=2).eval()
    src = torch.randint(0, 100, (2, 7))
    tgt = torch.randint(0, 100, (2, 5))
    logits = model(src, tgt)
    print("logits:", tuple(logits.shape), "(batch, target positions, vocabulary)")
    print(nn.Transformer.generate_square_subsequent_mask(4))
    later = tgt.clone()
    later[:, 3:] = torch.randint(0, 100, (2, 2))  # change target tokens 3 and 4
    print("logits at target positions 0..2 unchanged:",
          torch.allclose(model(src, later)[:, :3], logits[:, :3], atol=1e-6))
# --8<-- [end:seq2seq_model]

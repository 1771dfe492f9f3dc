"""Parameter counts of the paper's base and big models (Vaswani et al. 2017, Table 3)."""

# On the page this comes from the earlier blocks that `# needs:` names.
from snippets.transformer.layers import Seq2SeqTransformer

# needs: layers.py:seq2seq_model
# --8<-- [start:paper_sizes]
import torch


def count_parameters(d_model, d_ff, layers, vocab):
    """Encoder-decoder of nn.Transformer plus one embedding shared by source,
    target and output projection. The head count does not change the total."""
    d = d_model
    attention = 4 * d * d + 4 * d  # W_Q, W_K, W_V, W_O and their biases
    ffn = 2 * d * d_ff + d_ff + d
    norm = 2 * d  # LayerNorm gain and bias
    encoder = layers * (attention + ffn + 2 * norm)
    # a decoder layer has self- and cross-attention
    decoder = layers * (2 * attention + ffn + 3 * norm)
    # nn.Transformer ends both encoder and decoder with a LayerNorm
    final_norms = 2 * norm
    return encoder + decoder + final_norms + vocab * d


if __name__ == "__main__":
    vocab = 37000  # "a shared source-target vocabulary of about 37000 tokens"
    configs = {"base": dict(d_model=512, heads=8, d_ff=2048, layers=6),
               "big": dict(d_model=1024, heads=16, d_ff=4096, layers=6)}
    paper = {"base": 65e6, "big": 213e6}
    for name, cfg in configs.items():
        with torch.device("meta"):  # shapes only: no memory, no time
            model = Seq2SeqTransformer(vocab, **cfg)
        counted = sum(p.numel() for p in model.parameters())
        formula = count_parameters(cfg["d_model"], cfg["d_ff"], cfg["layers"],
                                   vocab)
        gap = counted / paper[name] - 1
        print(f"{name:4}: model {counted:,}  formula {formula:,}"
              f"  paper {paper[name] / 1e6:.0f} M  ({gap:+.1%})")
# --8<-- [end:paper_sizes]

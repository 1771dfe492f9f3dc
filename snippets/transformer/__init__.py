"""Article: from RNN to Transformer (docs/*/posts/transformer.md)."""

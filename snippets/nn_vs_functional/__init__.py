"""Article: nn.Xxx vs nn.functional.xxx (docs/*/posts/nn-vs-functional.md)."""

"""Article: gradient checkpointing (docs/*/posts/gradient-checkpointing.md)."""

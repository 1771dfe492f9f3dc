"""Article: inheritance and the method resolution order (docs/*/posts/inheritance-mro.md)."""

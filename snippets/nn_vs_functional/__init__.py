"""Article: nn.Xxx vs nn.functional.xxx (docs/*/posts/nn-vs-functional.md)."""

# Files the article's code opens by bare name in the current folder (paths relative to this package).
READER_FILES = ("measured/speed.json",)

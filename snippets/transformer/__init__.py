"""Article: from RNN to Transformer (docs/*/posts/transformer.md)."""

# Files the article's code opens by bare name in the current folder (paths relative to this package).
READER_FILES = ("measured/timings.json",)

"""Article: spatial pyramid pooling (docs/*/posts/spp.md)."""

# Files the article's code opens by bare name in the current folder (paths relative to this package).
READER_FILES = ("measured/sppf_speed.json",)

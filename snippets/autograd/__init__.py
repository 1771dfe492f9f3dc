"""Code of the autograd article: every example on the page is a region of a module here."""

# Files the article's code opens by bare name in the current folder (paths relative to this package).
READER_FILES = ("measured/jacobian.json",)

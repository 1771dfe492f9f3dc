"""Code of the autograd article: every example on the page is a region of a module here."""

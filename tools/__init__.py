"""Glue between docs/, snippets/ and tests/: used by the build hooks, `make outputs` and the site tests."""

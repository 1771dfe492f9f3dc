"""Debugging with pdb: the demo scripts, the helpers that drive pdb, and the figure."""

# The files pdb runs in the article's sessions, as the reader saves them side by side: each is
# exactly its block on the page (snippets/pdb/demo_files.py; breakpoint_hooks.py holds the custom hook).
# test_average.py is the failing test file of `pytest --pdb`; stats.py and report.py are the modules
# of the package scoring/ (in_practice.make_package puts them there; a download arrives flat).
READER_FILES = ("utils.py", "pdb_demo.py", "crash_demo.py", "breakpoint_demo.py", "breakpoint_hooks.py",
                "test_average.py", "stats.py", "report.py")

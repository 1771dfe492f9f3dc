"""Detect objects in an image from the command line, with the article's code.

    python detect.py IMAGE [--weights PATH] [--threshold T] [--size S] [--out OUT.png]

Keep this file beside detr_code.py, the article's code downloaded from its page (the block
infer.py:command_line defines `main`), and shapes-detr.pt. Importing detr_code.py defines its
functions and classes; the examples under `if __name__ == "__main__":` do not run.
From the repository, the same command line is `python -m snippets.detr.infer IMAGE ...`.
"""

import sys

from detr_code import main

if __name__ == "__main__":
    sys.exit(main())

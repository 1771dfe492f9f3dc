"""Settings for the whole suite, applied before any test module imports torch."""

import os

# One thread per process: printed outputs then do not depend on the core count (reductions
# split across threads round differently), and on a busy 2-core machine tiny ops do not wait
# on OpenMP. tools/outputs.py makes the same choice, so the stale-output test compares alike.
os.environ.setdefault("OMP_NUM_THREADS", "1")

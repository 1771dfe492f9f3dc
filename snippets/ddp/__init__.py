"""DistributedDataParallel quick start: the scripts, ring all-reduce, the launcher and the checks."""

# What the reader saves beside the code: the two training scripts (train.py is what torchrun
# runs, and the diff on the page is computed from both files) and the measurements that two
# blocks print.
READER_FILES = ("train_single.py", "train.py", "measured/launch.json", "measured/exit_abort.json")

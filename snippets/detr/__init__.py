"""DETR: detection as set prediction (Carion et al., ECCV 2020, arXiv:2005.12872)."""

# Files the article's code opens by bare name in the current folder (paths relative to this package):
# the reference data of the authors' DETR-R50 (names and shapes of its tensors, outputs with seeded
# weights), the trained shapes model, the sample image of the command-line example, and the
# command-line launcher (it imports the article's code from detr_code.py, downloaded beside it).
READER_FILES = (
    "data/keys.tsv",
    "data/seeded-io.pt",
    "weights/shapes-detr.pt",
    "sample.png",
    "detect.py",
)

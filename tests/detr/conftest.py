"""Shared fixtures of the DETR tests: the R50 model with the reference recipe's weights."""

from pathlib import Path

import pytest
import torch

from snippets.detr.reference import seeded_state_dict

# The reference data of the authors' DETR-R50, beside the code that reads it (READER_FILES).
DATA = Path(__file__).parents[2] / "snippets" / "detr" / "data"

# One thread: on a busy 2-core machine two threads can be many times slower, and the
# last bits of a float sum depend on how the work is split between threads.
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def reference():
    return torch.load(DATA / "seeded-io.pt", weights_only=True)


@pytest.fixture(scope="session")
def reference_keys():
    """[(key, shape tuple)] of the official checkpoint, in its order."""
    rows = (DATA / "keys.tsv").read_text().splitlines()[1:]
    return [(k, tuple(int(n) for n in shape.split("x"))) for k, shape, _ in (r.split("\t") for r in rows)]


@pytest.fixture(scope="session")
def r50_batch_outputs(seeded_r50, reference):
    """Outputs of the seeded R50 on the reference's padded batch, with its mask."""
    with torch.no_grad():
        return seeded_r50(reference["batch"], reference["mask"])


@pytest.fixture(scope="session")
def seeded_r50():
    from snippets.detr.model import R50_CONFIG, build_detr

    model = build_detr(R50_CONFIG).eval()
    model.load_state_dict(seeded_state_dict(model), strict=True)
    return model

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


@pytest.fixture(scope="session")
def shapes_model():
    """The committed shapes model and its config, loaded once per test session."""
    from snippets.detr.infer import WEIGHTS, load_model

    return load_model(WEIGHTS)


@pytest.fixture(scope="session")
def held_out_pass(shapes_model):
    """One run of the shapes model on the 200 held-out images (seed 2) that the attention and
    AP blocks use, with the last decoder layer's cross-attention: (outputs, attention, truth)."""
    from snippets.detr.attention import cross_attention
    from snippets.detr.shapes import make_batch, make_image

    outputs, attention = cross_attention(shapes_model[0], make_batch(2, 0, 200)[0])
    truth = [dict(zip(("boxes", "labels"), make_image(2, i)[1:], strict=True)) for i in range(200)]
    return outputs, attention, truth

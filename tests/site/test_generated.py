"""Every output, figure and notebook on the site is what the code produces now.

Each article's regions are run again (each alone, as `make outputs` runs them), its figures
redrawn and its notebooks rebuilt; a committed file that differs, is missing, or is left over
fails. Fix: `make outputs SLUG=<slug>`.
"""

from __future__ import annotations

import base64
import io
import re

import pytest

from tools.outputs import photos_as_jpeg, stale_files
from tools.regions import pages

SLUGS = sorted(pages("zh"))
EMBEDDED = re.compile(rb"data:image/(?:png|jpeg);base64,([A-Za-z0-9+/=\n]+)")


@pytest.mark.parametrize("slug", SLUGS)
def test_generated_files_are_fresh(slug):
    stale = stale_files(slug)
    assert not stale, f"run `make outputs SLUG={slug}`:\n" + "\n".join(stale)


def _svg_with_image(image) -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2.5, 2.5))
    ax.imshow(image)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()


def test_photographs_are_embedded_as_jpeg_and_drawings_stay_png():
    import numpy as np
    from PIL import Image
    from skimage import data

    photo = _svg_with_image(data.astronaut())
    smaller = photos_as_jpeg(photo)
    assert b"data:image/png" not in smaller and b"data:image/jpeg" in smaller
    assert 2 * len(smaller) < len(photo), (len(photo), len(smaller))
    png, jpeg = (base64.b64decode(EMBEDDED.search(svg)[1]) for svg in (photo, smaller))
    assert Image.open(io.BytesIO(jpeg)).size == Image.open(io.BytesIO(png)).size

    squares = _svg_with_image(np.kron(np.eye(4), np.ones((32, 32))))  # flat colours: PNG's case
    assert photos_as_jpeg(squares) == squares
    see_through = _svg_with_image(np.dstack([data.astronaut() / 255, np.full((512, 512), 0.5)]))
    assert photos_as_jpeg(see_through) == see_through

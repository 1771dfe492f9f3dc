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

from tools.compare import difference
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
    fig.savefig(buf, format="svg", metadata={"Date": None})
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


# --- the check fails when what a reader sees changes, and only then ---------------------------

def _line_plot(ys, label="loss") -> bytes:
    import matplotlib
    import matplotlib.pyplot as plt

    from tools.outputs import FIGURE_STYLE

    with matplotlib.rc_context(FIGURE_STYLE):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot(range(len(ys)), ys, marker="o", label=label)
        ax.set_ylim(0, 2)
        ax.legend()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(fig)
    return buf.getvalue()


def test_figure_check_ignores_last_bit_noise_and_catches_a_moved_point_or_a_changed_label():
    ys = [0.5, 1.0, 1.5, 1.2]
    committed = _line_plot(ys)
    noisy = _line_plot([y * (1 + 1e-7) for y in ys])  # another CPU's rounding
    assert noisy != committed and difference("a.svg", committed, noisy) is None
    moved = _line_plot([0.5, 1.0, 1.5, 1.22])  # one point 1 % higher: ~0.2 pt on this axis
    assert "coordinates moved" in difference("a.svg", committed, moved)
    relabelled = _line_plot(ys, label="lossy")
    assert "drawing differs" in difference("a.svg", committed, relabelled)
    assert difference("a.txt", b"1.94 deg\n", b"1.95 deg\n") == "the text differs"


def test_embedded_image_check_allows_rounding_but_not_a_changed_picture():
    import numpy as np

    image = np.random.default_rng(0).random((32, 32))
    committed = _svg_with_image(image)
    assert difference("a.svg", committed, _svg_with_image(image + 0.001)) is None  # under a level of 255
    changed = image.copy()
    changed[:8, :8] = 1 - changed[:8, :8]
    assert "pixels changed" in difference("a.svg", committed, _svg_with_image(changed))


def test_editing_what_the_page_shows_makes_the_stale_check_fail(monkeypatch):
    """A real article: a changed printed value and a moved figure are reported, nothing else."""
    import snippets.object_model.figures as figures
    import tools.outputs
    from tools.regions import region_code

    assert stale_files("object-model") == []
    target = "snippets/object_model/basics.py:identity_type_value"
    real_code = region_code

    def edited(inc):
        code = real_code(inc)
        return code.replace("a = 8", "a = 9") if str(inc) == target else code

    drawn = figures.FIGURES["call-by-sharing"]

    def shifted(lang, shift):
        fig = drawn(lang)
        for ax in fig.axes:
            left, right = ax.get_xlim()
            ax.set_xlim(left + shift * (right - left), right + shift * (right - left))
        return fig

    monkeypatch.setitem(figures.FIGURES, "call-by-sharing", lambda lang: shifted(lang, 1e-9))
    assert stale_files("object-model") == [], "a shift far below a pixel must not count"
    monkeypatch.setattr(tools.outputs, "region_code", edited)
    monkeypatch.setitem(figures.FIGURES, "call-by-sharing", lambda lang: shifted(lang, 0.02))
    stale = "\n".join(stale_files("object-model"))
    assert "call-by-sharing.svg: " in stale and "coordinates moved" in stale
    assert "stale: snippets/object_model/outputs/basics.identity_type_value.txt: the text differs" in stale
    assert "-value   : 8" in stale and "+value   : 9" in stale

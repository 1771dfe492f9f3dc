import socket
from pathlib import Path

import numpy as np
import pytest
import skimage
from skimage import data
from skimage.feature import Cascade

from snippets.face_recognition.alignment import ARCFACE_112, alignment_matrix
from snippets.face_recognition.detect_align import detect_faces, landmarks_from_box, tilt_photo, warp_to_template


@pytest.fixture(scope="module")
def photo():
    return data.astronaut()


@pytest.fixture(scope="module")
def points(photo):
    return landmarks_from_box(detect_faces(photo)[0])


def test_photo_and_cascade_ship_inside_scikit_image():
    package = Path(skimage.__file__).parent / "data"
    assert (package / "astronaut.png").is_file()
    assert Path(data.lbp_frontal_face_cascade_filename()).parent == package


def test_loading_them_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert data.astronaut().shape == (512, 512, 3)
    Cascade(data.lbp_frontal_face_cascade_filename())


def test_cascade_finds_one_face_around_the_nose(photo):
    boxes = detect_faces(photo)
    assert len(boxes) == 1
    x, y, w, h = boxes[0]
    assert x < 225 < x + w and y < 125 < y + h and 60 < w < 150


def test_a_wider_size_range_adds_a_false_positive_near_the_bottom_right(photo):
    # The page: the size range is limited because a wider one finds a second, wrong "face".
    face = detect_faces(photo)[0]
    wide = detect_faces(photo, min_size=(20, 20), max_size=(500, 500))
    assert len(wide) == 2
    x, y, w, h = wide[1]
    assert w == h == 38 and x > 400 and y > 400  # a small box in the bottom right corner
    fx, fy, fw, fh = face
    assert x > fx + fw and y > fy + fh  # nowhere near the face


def test_box_landmarks_are_inside_the_box_and_carry_no_rotation(photo, points):
    x, y, w, h = detect_faces(photo)[0]
    assert ((points >= [x, y]) & (points <= [x + w, y + h])).all()
    m = alignment_matrix(points)
    assert abs(np.degrees(np.arctan2(-m[0, 1], m[0, 0]))) < 1  # from an upright box


def test_aligned_crop_is_112_square(photo, points):
    crop = warp_to_template(photo, alignment_matrix(points))
    assert crop.shape == (112, 112, 3) and 0 <= crop.min() and crop.max() <= 1


def test_alignment_undoes_a_known_tilt(run):
    ns, out = run("detect_align", "undo_rotation")
    aligned = np.abs(ns["realigned"] - ns["upright"]).mean()
    old_points = np.abs(ns["ignored"] - ns["upright"]).mean()
    assert aligned < old_points / 10  # the page: "less than a tenth"
    assert f"moved points {aligned:.4f}" in out and f"old points   {old_points:.4f}" in out


def test_moved_landmarks_follow_the_template_after_alignment(points):
    _, known = tilt_photo(np.zeros((64, 64, 3)), degrees=-35, scale=1.3, shift=(5, 9))
    moved = points @ known[:, :2].T + known[:, 2]
    m_up, m_moved = alignment_matrix(points), alignment_matrix(moved)
    up = points @ m_up[:, :2].T + m_up[:, 2]
    np.testing.assert_allclose(moved @ m_moved[:, :2].T + m_moved[:, 2], up, atol=1e-9)
    assert np.abs(up - ARCFACE_112).max() < 5  # rough points, still near the template


def test_bad_input_raises_clear_errors(photo):
    with pytest.raises(ValueError, match=r"need an \(H, W\) or \(H, W, 3\) image"):
        detect_faces(np.zeros(10))
    with pytest.raises(ValueError, match=r"need a box \(x, y, width, height\) with positive size"):
        landmarks_from_box((10, 10, 0, 5))
    with pytest.raises(ValueError, match=r"need a 2x3 alignment matrix, got shape \(3, 3\)"):
        warp_to_template(photo, np.eye(3))

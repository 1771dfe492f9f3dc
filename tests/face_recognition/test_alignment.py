import numpy as np
import pytest

from snippets.face_recognition.alignment import ARCFACE_112, alignment_matrix, rotation_2d, similarity_fit


def _random_rotation(rng, d):
    q, r = np.linalg.qr(rng.normal(size=(d, d)))
    q *= np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    return q


@pytest.mark.parametrize("d", [2, 3])
def test_fit_recovers_a_known_scale_rotation_and_translation(d):
    rng = np.random.default_rng(d)
    for _ in range(50):
        src = rng.normal(size=(7, d)) * 30
        scale, rot, t = rng.uniform(0.2, 5), _random_rotation(rng, d), rng.normal(size=d) * 50
        dst = scale * src @ rot.T + t
        s_hat, r_hat, t_hat = similarity_fit(src, dst)
        assert s_hat == pytest.approx(scale, rel=1e-9)
        np.testing.assert_allclose(r_hat, rot, atol=1e-9)
        np.testing.assert_allclose(t_hat, t, atol=1e-7)


def test_two_points_are_enough_in_2d():
    src = np.array([[0.0, 0.0], [1.0, 0.0]])
    dst = 3 * src @ rotation_2d(90).T + np.array([5.0, 5.0])
    scale, rot, t = similarity_fit(src, dst)
    assert scale == pytest.approx(3)
    np.testing.assert_allclose(rot, rotation_2d(90), atol=1e-12)


def test_fit_is_the_least_squares_optimum():
    rng = np.random.default_rng(3)
    src = rng.uniform(0, 100, size=(5, 2))
    dst = 1.3 * src @ rotation_2d(-40).T + 7 + rng.normal(0, 2, size=(5, 2))
    scale, rot, t = similarity_fit(src, dst)

    def sse(s, angle, shift):
        return ((s * src @ rotation_2d(angle).T + shift - dst) ** 2).sum()

    angle = np.degrees(np.arctan2(rot[1, 0], rot[0, 0]))
    best = sse(scale, angle, t)
    for _ in range(200):
        ds, da, dt = rng.normal(0, 0.01), rng.normal(0, 0.5), rng.normal(0, 0.5, size=2)
        assert sse(scale + ds, angle + da, t + dt) >= best


def test_mirror_image_gets_a_rotation_not_a_reflection(run):
    ns, out = run("alignment", "reflection")
    assert np.linalg.det(ns["u"] @ ns["vt"]) == pytest.approx(-1)  # what the sign fix prevents
    assert np.linalg.det(ns["rotation"]) == pytest.approx(1) and ns["scale"] > 0
    assert ns["rms"] > 10  # no rotation fits a mirror image
    assert "det R = -1" in out and "det R = +1" in out


def test_the_sign_fix_is_needed_for_every_mirror_image():
    rng = np.random.default_rng(5)
    for _ in range(20):
        src = rng.uniform(0, 100, size=(6, 2))
        mirrored = src * np.array([-1.0, 1.0]) @ rotation_2d(rng.uniform(0, 360)).T
        _, rot, _ = similarity_fit(src, mirrored)
        assert np.linalg.det(rot) == pytest.approx(1)


def test_alignment_matrix_puts_landmarks_on_the_template():
    photo = 2.5 * ARCFACE_112 @ rotation_2d(12).T + np.array([140.0, 90.0])
    m = alignment_matrix(photo)
    np.testing.assert_allclose(photo @ m[:, :2].T + m[:, 2], ARCFACE_112, atol=1e-9)
    assert np.hypot(*m[:, 0]) == pytest.approx(1 / 2.5)


def test_template_is_a_frontal_face_inside_112_pixels():
    assert ((ARCFACE_112 > 0) & (ARCFACE_112 < 112)).all()
    left_eye, right_eye, nose, mouth_l, mouth_r = ARCFACE_112
    assert abs(left_eye[1] - right_eye[1]) < 1  # eyes level
    assert left_eye[0] < nose[0] < right_eye[0] and mouth_l[0] < mouth_r[0]
    assert left_eye[1] < nose[1] < mouth_l[1]
    assert abs((left_eye[0] + right_eye[0]) / 2 - 56) < 1  # centred


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match=r"same shape with N >= 2"):
        similarity_fit(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="all source points coincide"):
        similarity_fit(np.ones((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"need 5 landmarks as a \(5, 2\) array, got shape \(4, 2\)"):
        alignment_matrix(np.zeros((4, 2)))

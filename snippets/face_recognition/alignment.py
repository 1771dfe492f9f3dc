"""Face alignment: a least-squares similarity transform (Umeyama 1991) onto the ArcFace template."""

# --8<-- [start:umeyama]
import numpy as np


def similarity_fit(src, dst):
    """Least-squares similarity transform with dst ~ scale * R @ src + t.

    Umeyama (1991): src and dst are (N, d) arrays of matching points, N >= 2.
    Returns (scale, R, t) with R a rotation (det R = +1, never a reflection).
    """
    src, dst = np.asarray(src, dtype=float), np.asarray(dst, dtype=float)
    if src.ndim != 2 or src.shape != dst.shape or len(src) < 2:
        raise ValueError(f"need two (N, d) arrays of the same shape with N >= 2, "
                         f"got {src.shape} and {dst.shape}")
    n, d = src.shape
    mu_src, mu_dst = src.mean(axis=0), dst.mean(axis=0)
    a, b = src - mu_src, dst - mu_dst
    var_src = (a ** 2).sum() / n
    if var_src == 0:
        raise ValueError("all source points coincide: the transform is undefined")
    cov = b.T @ a / n  # Sigma_xy of the paper
    u, sigma, vt = np.linalg.svd(cov)
    signs = np.ones(d)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        signs[-1] = -1  # the best orthogonal map is a reflection: flip one axis
    rotation = u @ np.diag(signs) @ vt
    scale = (sigma * signs).sum() / var_src
    t = mu_dst - scale * rotation @ mu_src
    return scale, rotation, t


def rotation_2d(degrees):
    r = np.deg2rad(degrees)
    return np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    src = rng.uniform(0, 100, size=(5, 2))
    dst = 1.7 * src @ rotation_2d(25).T + np.array([12.0, -5.0])
    dst_noisy = dst + rng.normal(0, 0.5, size=dst.shape)
    for name, target in [("exact", dst), ("noisy", dst_noisy)]:
        scale, rotation, t = similarity_fit(src, target)
        angle = np.degrees(np.arctan2(rotation[1, 0], rotation[0, 0]))
        print(f"{name}: scale {scale:.4f}, angle {angle:.3f} deg, "
              f"t ({t[0]:.3f}, {t[1]:.3f})")
# --8<-- [end:umeyama]


# needs: umeyama
# --8<-- [start:reflection]
import numpy as np

if __name__ == "__main__":
    rng = np.random.default_rng(1)
    src = rng.uniform(0, 100, size=(5, 2))
    mirrored = src * np.array([-1.0, 1.0]) @ rotation_2d(10).T  # a mirror image

    # Orthogonal Procrustes without Umeyama's sign fix:
    a, b = src - src.mean(0), mirrored - mirrored.mean(0)
    u, _, vt = np.linalg.svd(b.T @ a)
    print(f"plain SVD fit: det R = {np.linalg.det(u @ vt):+.0f}  (a reflection)")

    scale, rotation, t = similarity_fit(src, mirrored)
    rms = np.sqrt(((scale * src @ rotation.T + t - mirrored) ** 2).sum(1).mean())
    print(f"similarity_fit: det R = {np.linalg.det(rotation):+.0f}, "
          f"RMS residual {rms:.2f} (no rotation can fit a mirror image)")
# --8<-- [end:reflection]


# needs: umeyama
# --8<-- [start:arcface_template]
import numpy as np

# Where the five landmarks go in a 112x112 ArcFace crop, (x, y) in pixels:
# left eye, right eye (as seen in the image), nose tip, left and right mouth
# corner. Values from InsightFace: python-package/insightface/utils/face_align.py
ARCFACE_112 = np.array([[38.2946, 51.6963], [73.5318, 51.5014],
                        [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]])


def alignment_matrix(landmarks, template=ARCFACE_112):
    """2x3 matrix M mapping image (x, y) to crop (x, y): crop = M @ [x, y, 1]."""
    landmarks = np.asarray(landmarks, dtype=float)
    if landmarks.shape != template.shape:
        raise ValueError(f"need {len(template)} landmarks as a {template.shape} "
                         f"array, got shape {landmarks.shape}")
    scale, rotation, t = similarity_fit(landmarks, template)
    return np.hstack([scale * rotation, t[:, None]])


if __name__ == "__main__":
    # A face in a photo: the template tilted by 12 degrees, 2.5x larger, moved.
    photo = 2.5 * ARCFACE_112 @ rotation_2d(12).T + np.array([140.0, 90.0])
    m = alignment_matrix(photo)
    back = photo @ m[:, :2].T + m[:, 2]
    print("M =", np.array2string(m, precision=4, suppress_small=True))
    error = np.abs(back - ARCFACE_112).max()
    print("landmarks on the template (error < 1e-9 px):", bool(error < 1e-9))
# --8<-- [end:arcface_template]

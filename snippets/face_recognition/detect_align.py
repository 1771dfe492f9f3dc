"""Detection and alignment on a real photo, with what ships inside scikit-image (no download)."""

# --8<-- [start:detect_face]
from skimage import data
from skimage.feature import Cascade


def detect_faces(image, min_size=(50, 50), max_size=(300, 300)):
    """Frontal faces found by OpenCV's LBP cascade (shipped with scikit-image).

    Returns a list of boxes (x, y, width, height) in pixels, largest first.
    """
    if image.ndim not in (2, 3):
        raise ValueError(f"need an (H, W) or (H, W, 3) image, "
                         f"got shape {image.shape}")
    detector = Cascade(data.lbp_frontal_face_cascade_filename())
    found = detector.detect_multi_scale(img=image, scale_factor=1.2,
                                        step_ratio=1, min_size=min_size,
                                        max_size=max_size)
    boxes = [(f["c"], f["r"], f["width"], f["height"]) for f in found]
    return sorted(boxes, key=lambda b: -b[2] * b[3])


if __name__ == "__main__":
    photo = data.astronaut()  # Eileen Collins, NASA (public domain), bundled
    print("image:", photo.shape, photo.dtype)
    print("faces (x, y, w, h):", detect_faces(photo))
# --8<-- [end:detect_face]


# On the page this comes from the earlier block that `# needs:` names.
from snippets.face_recognition.alignment import alignment_matrix  # noqa: E402


# needs: detect_face, alignment.py:arcface_template
# --8<-- [start:align_face]
import numpy as np
from skimage import data
from skimage.transform import AffineTransform, warp

# NOT a landmark detector: rough positions of the eyes, nose tip and mouth
# corners as fractions of the cascade's box, read off by eye for an upright
# frontal face.
BOX_FRACTIONS = np.array([[0.30, 0.36], [0.72, 0.36], [0.51, 0.62],
                          [0.33, 0.77], [0.71, 0.77]])


def landmarks_from_box(box):
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        raise ValueError(f"need a box (x, y, width, height) with positive size, "
                         f"got {box}")
    x, y, w, h = box
    return np.array([x, y]) + BOX_FRACTIONS * np.array([w, h])


def warp_to_template(image, m, size=112):
    """Resample so that crop pixel (u, v) shows image point M^-1 (u, v)."""
    m = np.asarray(m, dtype=float)
    if m.shape != (2, 3):
        raise ValueError(f"need a 2x3 alignment matrix, got shape {m.shape}")
    to_crop = AffineTransform(matrix=np.vstack([m, [0.0, 0.0, 1.0]]))
    return warp(image, to_crop.inverse, output_shape=(size, size), order=1)


if __name__ == "__main__":
    photo = data.astronaut()
    box = detect_faces(photo)[0]
    points = landmarks_from_box(box)
    m = alignment_matrix(points)
    crop = warp_to_template(photo, m)
    scale = np.hypot(*m[:, 0])
    angle = np.degrees(np.arctan2(-m[0, 1], m[0, 0]))
    print("approximate landmarks:", np.round(points, 1).tolist())
    print(f"similarity: scale {scale:.3f}, rotation {angle:.2f} deg")
    print("aligned crop:", crop.shape, crop.dtype)
# --8<-- [end:align_face]


# needs: align_face
# --8<-- [start:undo_rotation]
import numpy as np
from skimage import data
from skimage.transform import AffineTransform, warp


def tilt_photo(image, degrees, scale, shift):
    """Apply a known similarity to the photo; return (new image, 2x3 matrix)."""
    tform = AffineTransform(scale=scale, rotation=np.deg2rad(degrees),
                            translation=shift)
    moved = warp(image, tform.inverse, output_shape=image.shape[:2], order=1)
    return moved, tform.params[:2]


if __name__ == "__main__":
    photo = data.astronaut()
    points = landmarks_from_box(detect_faces(photo)[0])
    upright = warp_to_template(photo, alignment_matrix(points))

    tilted, known = tilt_photo(photo, degrees=20, scale=0.8, shift=(150, -40))
    moved = points @ known[:, :2].T + known[:, 2]  # the landmarks, moved exactly
    realigned = warp_to_template(tilted, alignment_matrix(moved))
    ignored = warp_to_template(tilted, alignment_matrix(points))  # old points
    print("turned 20 deg, scaled 0.8; mean |difference| from the upright crop:")
    print(f"  aligned with the moved points {np.abs(realigned - upright).mean():.4f}")
    print(f"  aligned with the old points   {np.abs(ignored - upright).mean():.4f}")
# --8<-- [end:undo_rotation]

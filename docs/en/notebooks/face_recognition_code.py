# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The face recognition pipeline
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. First install what it needs:
#
# ```bash
# pip install torch --index-url https://download.pytorch.org/whl/cpu
# pip install numpy scikit-image scikit-learn
# ```

# %% [markdown]
# ## The question
#
# ## The idea
#
# ### The pipeline
#
# ### Verification and identification
#
# ### Face processing
#
# ### The losses, in order
#
# ## The code
#
# ### Detection

# %%
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

# %% [markdown]
# ### Alignment: a least-squares similarity fit

# %%
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

# %%
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

# %%
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

# %%
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

# %%
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

# %% [markdown]
# ### Margin logits

# %%
import math

import torch


def margin_logits(cosine, labels, kind="arcface", s=64.0, m=0.5,
                  easy_margin=False):
    """Logits for cross-entropy from cosines between features and class weights.

    cosine: (N, C), both sides L2-normalized. Only the true class's entry
    changes:
      softmax     s * cos(theta)            (normalized softmax, no margin)
      sphereface  s * psi(theta), psi = (-1)^k cos(m theta) - 2k, integer m
      cosface     s * (cos(theta) - m)
      arcface     s * cos(theta + m); cos(theta) - m sin(m) once theta + m > pi
    """
    if cosine.dim() != 2 or labels.shape != cosine.shape[:1]:
        raise ValueError(f"need cosine (N, C) and labels (N,), got "
                         f"{tuple(cosine.shape)} and {tuple(labels.shape)}")
    cos = cosine.clamp(-1.0, 1.0)
    target = cos.gather(1, labels[:, None])
    if kind == "softmax":
        new = target
    elif kind == "sphereface":
        if m != int(m) or m < 1:
            raise ValueError(f"SphereFace needs an integer margin m >= 1, "
                             f"got {m}")
        m = int(m)
        # k = floor(m theta / pi): how many of cos(j pi / m), j = 1..m-1, are >= cos
        k = sum((target <= math.cos(j * math.pi / m)).to(target.dtype)
                for j in range(1, m))
        # cos(m theta) as a polynomial in cos(theta), T_m(cos) = 2 cos T_m-1 - T_m-2:
        # no acos, whose gradient is infinite at cos = +-1
        t_prev, t_m = torch.ones_like(target), target
        for _ in range(m - 1):
            t_prev, t_m = t_m, 2 * target * t_m - t_prev
        new = (-1.0) ** k * t_m - 2 * k
    elif kind == "cosface":
        new = target - m
    elif kind == "arcface":
        sin = torch.sqrt((1.0 - target ** 2).clamp(min=1e-12))  # finite gradient
        cos_theta_m = target * math.cos(m) - sin * math.sin(m)  # cos(theta + m)
        if easy_margin:  # margin only where theta < 90 degrees
            new = torch.where(target > 0, cos_theta_m, target)
        else:  # theta + m > pi would make cos(theta + m) grow again
            new = torch.where(target > math.cos(math.pi - m), cos_theta_m,
                              target - math.sin(math.pi - m) * m)
    else:
        raise ValueError(f"unknown kind {kind!r}: "
                         f"softmax, sphereface, cosface or arcface")
    return s * cos.scatter(1, labels[:, None], new)


if __name__ == "__main__":
    degrees = torch.tensor([30.0, 60.0, 90.0, 120.0, 150.0, 170.0])
    cosine = torch.cos(torch.deg2rad(degrees))[:, None]
    labels = torch.zeros(len(degrees), dtype=torch.long)
    print("theta (deg)      " + "".join(f"{d:>8.0f}" for d in degrees.tolist()))
    settings = [("softmax", 0.0), ("sphereface", 4), ("cosface", 0.35),
                ("arcface", 0.5)]
    for kind, m in settings:
        logit = margin_logits(cosine, labels, kind, s=1.0, m=m)[:, 0]
        # round(v, 3) + 0.0 turns -0.0 into 0.0, so no "-0.000" is printed
        row = "".join(f"{round(v, 3) + 0.0:8.3f}" for v in logit.tolist())
        print(f"{kind:<10} m={m:<4}" + row)

# %%
import torch

if __name__ == "__main__":
    torch.manual_seed(0)
    features = torch.nn.functional.normalize(torch.randn(8, 16), dim=1)
    weights = torch.nn.functional.normalize(torch.randn(10, 16), dim=1)
    cosine, labels = features @ weights.T, torch.randint(0, 10, (8,))
    plain = 64.0 * cosine  # normalized softmax
    for kind in ("cosface", "arcface"):
        same = torch.equal(margin_logits(cosine, labels, kind, m=0.0), plain)
        print(f"{kind} with m = 0 equals normalized softmax: {same}")

    one = torch.tensor([[0.5]])  # theta = 60 degrees
    zero = torch.tensor([0])
    for kind in ("cosface", "arcface"):
        values = [margin_logits(one, zero, kind, s=1.0, m=m).item()
                  for m in (0.0, 0.1, 0.3, 0.5)]
        print(f"{kind}: target logit / s at 60 deg for m = 0, 0.1, 0.3, 0.5:",
              ", ".join(f"{round(v, 4) + 0.0:.4f}" for v in values))

# %%
import math

import torch

if __name__ == "__main__":
    theta = torch.linspace(0, math.pi, 1801, dtype=torch.float64)  # 0.1 deg
    cosine = torch.cos(theta)[:, None]
    labels = torch.zeros(1801, dtype=torch.long)
    curves = {
        "cos(theta + m) as is": torch.cos(theta + 0.5),
        "ArcFace, fallback": margin_logits(cosine, labels, "arcface",
                                           s=1.0)[:, 0],
        "ArcFace, easy margin": margin_logits(cosine, labels, "arcface", s=1.0,
                                              easy_margin=True)[:, 0],
    }
    for name, curve in curves.items():
        rises = (curve.diff() > 1e-12).nonzero()
        if len(rises) == 0:
            print(f"{name:<22} falls (or stays) all the way from 0 to 180 deg")
        else:
            start = math.degrees(theta[rises[0, 0]])
            print(f"{name:<22} rises again from theta = {start:.1f} deg")

# %% [markdown]
# ### What the margin does: a 2-D run

# %%
import math

import torch
import torch.nn.functional as F
from torch import nn

CLASSES, INPUTS = 8, 12


def toy_data(count, generator, means):
    labels = torch.randint(0, CLASSES, (count,), generator=generator)
    noise = torch.randn(count, INPUTS, generator=generator, dtype=means.dtype)
    return means[labels] + noise, labels


def train_2d(kind, steps=300, s=64.0, m=0.5, seed=1, dtype=torch.float64):
    """Train an MLP with a 2-D feature layer; return held-out (feats, labels).

    float64 by default, and a learning rate that decays to zero: a run
    amplifies rounding, which differs between CPUs (other vector kernels).
    """
    g = torch.Generator().manual_seed(seed)
    means = 2.0 * torch.randn(CLASSES, INPUTS, generator=g, dtype=dtype)
    (x, y), (x_test, y_test) = toy_data(2000, g, means), toy_data(1000, g, means)
    torch.manual_seed(seed)
    body = nn.Sequential(nn.Linear(INPUTS, 64, dtype=dtype), nn.ReLU(),
                         nn.Linear(64, 64, dtype=dtype), nn.ReLU(),
                         nn.Linear(64, 2, dtype=dtype))  # the 2-D "embedding"
    weight = nn.Parameter(torch.randn(CLASSES, 2, dtype=dtype))
    bias = nn.Parameter(torch.zeros(CLASSES, dtype=dtype))
    opt = torch.optim.Adam([*body.parameters(), weight, bias], lr=1e-2)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for _ in range(steps):
        idx = torch.randint(0, len(y), (256,), generator=g)
        feat = body(x[idx])
        if kind == "softmax":
            logits = feat @ weight.T + bias
        else:  # ArcFace: cosines of normalized features and weights, margin
            cosine = F.normalize(feat, dim=1) @ F.normalize(weight, dim=1).T
            logits = margin_logits(cosine, y[idx], kind, s=s, m=m)
        loss = F.cross_entropy(logits, y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
    with torch.no_grad():
        return body(x_test), y_test


def class_directions(features, labels):
    """Unit vector of each class's mean direction, (classes, 2)."""
    unit = F.normalize(features, dim=1)
    return torch.stack([F.normalize(unit[labels == c].mean(0), dim=0)
                        for c in range(CLASSES)])


def mean_intra_class_angle(features, labels):
    """Mean angle (degrees) between each feature and its class's direction."""
    own = class_directions(features, labels)[labels]
    cos = (F.normalize(features, dim=1) * own).sum(1)
    return math.degrees(torch.acos(cos.clamp(-1, 1)).mean())


def smallest_gap(features, labels):
    """Smallest angle (degrees) between two neighbouring class directions."""
    d = class_directions(features, labels)
    angles = torch.sort(torch.atan2(d[:, 1], d[:, 0])).values
    gaps = torch.diff(torch.cat([angles, angles[:1] + 2 * math.pi]))
    return math.degrees(gaps.min())


if __name__ == "__main__":
    for kind in ("softmax", "arcface"):
        feats, labels = train_2d(kind)
        angle = mean_intra_class_angle(feats, labels)
        gap = smallest_gap(feats, labels)
        print(f"{kind:<8}: mean angle to own class {angle:5.2f} deg, "
              f"smallest class gap {gap:5.1f} deg")

# %% [markdown]
# ### Verification metrics: ROC and TAR@FAR

# %%
import numpy as np


def synthetic_embeddings(identities=100, per_identity=5, dim=128, spread=1.3,
                         seed=0):
    """Stand-in for a face model's output: unit vectors scattered around one
    random direction per identity. Returns (embeddings (N, dim), labels (N,))."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(identities, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    labels = np.repeat(np.arange(identities), per_identity)
    noise = rng.normal(size=(len(labels), dim)) * spread / np.sqrt(dim)
    embeddings = centres[labels] + noise
    return embeddings / np.linalg.norm(embeddings, axis=1, keepdims=True), labels


def pair_scores(embeddings, labels):
    """Cosine similarity of every pair: (genuine = same identity, impostor)."""
    sim = embeddings @ embeddings.T
    i, j = np.triu_indices(len(labels), k=1)
    same = labels[i] == labels[j]
    return sim[i, j][same], sim[i, j][~same]


if __name__ == "__main__":
    emb, labels = synthetic_embeddings()
    genuine, impostor = pair_scores(emb, labels)
    print(f"{len(labels)} embeddings: {len(genuine)} genuine pairs, "
          f"{len(impostor)} impostor pairs")
    print(f"mean cosine: genuine {genuine.mean():.3f}, "
          f"impostor {round(impostor.mean(), 3) + 0.0:.3f}")

# %%
import numpy as np


def roc(genuine, impostor):
    """Every operating point of 'accept if score >= t', t running over all scores.

    Returns (thresholds descending, FAR, TAR): FAR = share of impostor pairs
    accepted, TAR = share of genuine pairs accepted.
    """
    genuine, impostor = np.asarray(genuine, float), np.asarray(impostor, float)
    if genuine.size == 0 or impostor.size == 0:
        raise ValueError("need at least one genuine and one impostor score")
    thresholds = np.unique(np.concatenate([genuine, impostor]))[::-1]
    g, i = np.sort(genuine), np.sort(impostor)
    tar = (g.size - np.searchsorted(g, thresholds, side="left")) / g.size
    far = (i.size - np.searchsorted(i, thresholds, side="left")) / i.size
    return thresholds, far, tar


def tar_at_far(genuine, impostor, far_target):
    """Best TAR among thresholds with FAR <= far_target: (TAR, threshold)."""
    if not 0 <= far_target <= 1:
        raise ValueError(f"far_target must lie in [0, 1], got {far_target}")
    thresholds, far, tar = roc(genuine, impostor)
    ok = far <= far_target
    if not ok.any():
        return 0.0, np.inf  # even the highest score lets too many impostors in
    best = np.flatnonzero(ok)[-1]  # lowest allowed threshold = highest TAR
    return tar[best], thresholds[best]


if __name__ == "__main__":
    genuine, impostor = pair_scores(*synthetic_embeddings())
    for far_target in (1e-1, 1e-2, 1e-3, 1e-4):
        tar, t = tar_at_far(genuine, impostor, far_target)
        print(f"TAR@FAR={far_target:.0e}: {tar:.4f}  (cosine >= {t:.3f})")

# %%
import numpy as np


def open_set_rates(embeddings, labels, enrolled, fpir_target=0.05):
    """1:N search against a gallery holding one image of each enrolled identity.

    Returns (rank-1 accuracy of enrolled probes, threshold, FPIR, DIR): the
    threshold lets a share fpir_target of non-enrolled probes match somebody;
    DIR is the share of enrolled probes matched to the right person above it.
    """
    first = np.array([np.flatnonzero(labels == k)[0] for k in enrolled])
    probes = np.setdiff1d(np.arange(len(labels)), first)
    scores = embeddings[probes] @ embeddings[first].T  # (probes, gallery)
    best, best_score = enrolled[scores.argmax(1)], scores.max(1)
    mated = np.isin(labels[probes], enrolled)
    if mated.all() or not mated.any():
        raise ValueError("need probes of enrolled and of non-enrolled identities")
    right = best[mated] == labels[probes][mated]
    threshold = np.quantile(best_score[~mated], 1 - fpir_target)
    fpir = (best_score[~mated] > threshold).mean()
    dir_ = (right & (best_score[mated] > threshold)).mean()
    return right.mean(), threshold, fpir, dir_


if __name__ == "__main__":
    emb, labels = synthetic_embeddings(identities=100, per_identity=5, seed=1)
    rank1, threshold, fpir, dir_ = open_set_rates(emb, labels, np.arange(80))
    print(f"closed set: rank-1 accuracy of the 80 enrolled people {rank1:.3f}")
    print(f"open set, threshold {threshold:.3f}: FPIR {fpir:.3f}, DIR {dir_:.3f}")

# %% [markdown]
# ## The proof
#
# ## A trained embedding, tested on strangers

# %%
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEEN = 7  # digits 0-6 are the training identities; 7, 8 and 9 the strangers


def digit_identities(seed=0):
    """Three sets of (images (n, 64) scaled to [0, 1], labels), one digit = one identity.

    train: 75 % of the images of digits 0-6, split per digit;
    known: the other 25 % (known identities, new images);
    new:   every image of 7, 8 and 9, which training never sees (new identities).
    """
    images, labels = load_digits(return_X_y=True)  # bundled with scikit-learn
    images = images / 16.0
    seen = np.flatnonzero(labels < SEEN)
    train, known = train_test_split(seen, test_size=0.25, stratify=labels[seen],
                                    random_state=seed)
    new = np.flatnonzero(labels >= SEEN)
    return [(images[i], labels[i]) for i in (train, known, new)]


if __name__ == "__main__":
    names = ("train", "known digits, new images", "new digits")
    for name, (_, y) in zip(names, digit_identities(), strict=True):
        digits = ", ".join(str(d) for d in np.unique(y))
        print(f"{name:<25} {len(y):4d} images of {digits}")

# %%
import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def train_embedding(images, labels, loss="softmax", dim=32, steps=400, s=64.0,
                    m=0.5, seed=0):
    """Train an MLP to a dim-d embedding with a classifier head over the labels.

    loss="softmax": logits W f + b on the raw feature f (the plain baseline);
    loss="arcface": margin_logits on cos(f, W_j), both normalized, s and m.
    Returns (net, class weights W). float64 and seeded: a run amplifies
    rounding, and CPUs round differently.
    """
    x = torch.as_tensor(images, dtype=torch.float64)
    y = torch.as_tensor(labels)
    classes = int(y.max()) + 1
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    f64 = {"dtype": torch.float64}
    net = nn.Sequential(nn.Linear(64, 128, **f64), nn.ReLU(),
                        nn.Linear(128, 128, **f64), nn.ReLU(),
                        nn.Linear(128, dim, **f64))
    weight = nn.Parameter(torch.randn(classes, dim, **f64) / dim ** 0.5)
    bias = nn.Parameter(torch.zeros(classes, **f64))
    opt = torch.optim.Adam([*net.parameters(), weight, bias], lr=1e-2)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for _ in range(steps):
        idx = torch.randint(0, len(y), (256,), generator=g)
        feat = net(x[idx])
        if loss == "softmax":
            logits = feat @ weight.T + bias
        else:
            cosine = F.normalize(feat, dim=1) @ F.normalize(weight, dim=1).T
            logits = margin_logits(cosine, y[idx], loss, s=s, m=m)
        opt.zero_grad()
        F.cross_entropy(logits, y[idx]).backward()
        opt.step()
        schedule.step()
    return net, weight.detach()


def embed(net, images):
    """The L2-normalized embeddings of images, (n, dim) as numpy."""
    with torch.no_grad():
        feat = net(torch.as_tensor(images, dtype=torch.float64))
    return F.normalize(feat, dim=1).numpy()


def nearest_class(embeddings, weight):
    """Index of each embedding's nearest class weight (highest cosine)."""
    return (embeddings @ F.normalize(weight, dim=1).numpy().T).argmax(1)


def angle_to_nearest_class(embeddings, weight):
    """Mean angle (degrees) from each embedding to its nearest class weight."""
    cosine = embeddings @ F.normalize(weight, dim=1).numpy().T
    return math.degrees(np.arccos(np.clip(cosine.max(1), -1, 1)).mean())


def top_impostors_sharing_a_class(embeddings, labels, weight, top=0.01):
    """Among the impostor pairs with the highest cosine (a share `top` of
    them), the share whose two images have the same nearest class weight."""
    i, j = np.triu_indices(len(labels), k=1)
    impostor = labels[i] != labels[j]
    i, j = i[impostor], j[impostor]
    scores = (embeddings[i] * embeddings[j]).sum(1)
    highest = np.argsort(-scores, kind="stable")[:max(1, int(top * len(scores)))]
    nearest = nearest_class(embeddings, weight)
    return (nearest[i[highest]] == nearest[j[highest]]).mean()


if __name__ == "__main__":
    train, known, new = digit_identities()
    print("mean angle (degrees) to the nearest training class weight, and the share")
    print("of the 1 % highest-scoring impostor pairs of new digits whose two images")
    print("have the same nearest training class")
    print(f"{'loss':<8} {'known digits':>13} {'new digits':>11} {'same nearest':>13}")
    for loss in ("softmax", "arcface"):
        net, weight = train_embedding(*train, loss=loss)
        angles = [angle_to_nearest_class(embed(net, x), weight) for x, _ in (known, new)]
        shared = top_impostors_sharing_a_class(embed(net, new[0]), new[1], weight)
        print(f"{loss:<8} {angles[0]:13.1f} {angles[1]:11.1f} {shared:13.3f}")

# %%
import numpy as np


def open_set_tars(embeddings, labels, fars):
    """TAR at each FAR target over all pairs of the given embeddings.

    Every pair of images is scored (cosine); pairs of one label are genuine,
    the rest impostors. With N impostor pairs a FAR below 1/N cannot be
    measured (it would mean less than one false accept), so it is refused.
    """
    embeddings, labels = np.asarray(embeddings), np.asarray(labels)
    if len(embeddings) != len(labels):
        raise ValueError(f"{len(embeddings)} embeddings but {len(labels)} labels: "
                         f"need one label per embedding")
    genuine, impostor = pair_scores(embeddings, labels)
    if len(impostor) == 0 or len(genuine) == 0:
        raise ValueError(f"{len(genuine)} genuine and {len(impostor)} impostor pairs: "
                         f"need two images of one label and two different labels")
    for far in fars:
        if not 0 < far < 1:
            raise ValueError(f"a FAR target must lie strictly between 0 and 1, got {far}")
        if far * len(impostor) < 1:
            raise ValueError(f"FAR {far:g} is below 1/{len(impostor)}: {len(impostor)} "
                             f"impostor pairs cannot measure it")
    return [tar_at_far(genuine, impostor, far)[0] for far in fars]


if __name__ == "__main__":
    train, known, new = digit_identities()
    nets = {loss: train_embedding(*train, loss=loss)[0] for loss in ("softmax", "arcface")}
    fars = (1e-1, 1e-2, 1e-3, 1e-4)
    for name, (x, y) in (("known digits, new images", known), ("new digits 7-9", new)):
        genuine, impostor = pair_scores(x, y)  # only the counts
        print(f"{name}: {len(genuine)} genuine, {len(impostor)} impostor pairs, "
              f"1/N = {1 / len(impostor):.1e}")
        print(f"  {'FAR':>7} {'pixels':>7} {'softmax':>8} {'arcface':>8}")
        pixels = x / np.linalg.norm(x, axis=1, keepdims=True)
        rows = [open_set_tars(pixels, y, fars)]
        rows += [open_set_tars(embed(net, x), y, fars) for net in nets.values()]
        for far, p, s, a in zip(fars, *rows, strict=True):
            print(f"  {far:7.0e} {p:7.3f} {s:8.3f} {a:8.3f}")

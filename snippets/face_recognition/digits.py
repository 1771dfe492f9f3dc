"""Open-set verification with a trained embedding: scikit-learn's digits as stand-in identities,
an MLP to a 32-d unit vector trained with plain softmax and with the ArcFace head, ROC on pairs
of digits the network never saw."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.face_recognition.margins import margin_logits
from snippets.face_recognition.metrics import pair_scores, tar_at_far

# --8<-- [start:digit_identities]
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
# --8<-- [end:digit_identities]


# needs: margins.py:margin_logits, digit_identities
# --8<-- [start:digit_embeddings]
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
# --8<-- [end:digit_embeddings]


# needs: metrics.py:roc_tar_far, digit_identities, digit_embeddings
# --8<-- [start:open_set_verification]
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
# --8<-- [end:open_set_verification]

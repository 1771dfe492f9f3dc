"""A toy run with 2-D features: plain softmax vs ArcFace (after the ArcFace paper's MNIST-style plots)."""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.face_recognition.margins import margin_logits

# needs: margins.py:margin_logits
# --8<-- [start:toy_training]
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
# --8<-- [end:toy_training]

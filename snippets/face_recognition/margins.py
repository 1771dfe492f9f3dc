"""Margin-based softmax logits: normalized softmax, SphereFace, CosFace, ArcFace."""

# --8<-- [start:margin_logits]
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
# --8<-- [end:margin_logits]


# needs: margin_logits
# --8<-- [start:margin_facts]
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
# --8<-- [end:margin_facts]


# needs: margin_logits
# --8<-- [start:theta_plus_m]
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
# --8<-- [end:theta_plus_m]

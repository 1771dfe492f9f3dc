"""Verification (1:1) and open-set identification (1:N) metrics on embeddings."""

# --8<-- [start:synthetic_embeddings]
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
# --8<-- [end:synthetic_embeddings]


# needs: synthetic_embeddings
# --8<-- [start:roc_tar_far]
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
# --8<-- [end:roc_tar_far]


# needs: synthetic_embeddings
# --8<-- [start:open_set]
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
# --8<-- [end:open_set]

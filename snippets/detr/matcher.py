"""Bipartite matching of predictions to ground truth: cost, Hungarian, brute force."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.boxes import box_cxcywh_to_xyxy, generalized_box_iou

# needs: boxes.py:box_formats, boxes.py:generalized_iou
# --8<-- [start:matching_cost]
import torch


def matching_cost(logits, boxes, labels, targets, w_class=1.0, w_l1=5.0, w_giou=2.0):
    """Cost (N queries x M objects) of assigning each query to each ground-truth object.

    logits (N, classes + 1), boxes (N, 4) and targets (M, 4) in normalized cx, cy, w, h.
    -p(class of the object) + 5 * L1 distance - 2 * GIoU  (the paper's weights).
    """
    prob = logits.softmax(-1)
    cost_class = -prob[:, labels]
    cost_l1 = torch.cdist(boxes, targets, p=1)
    cost_giou = -generalized_box_iou(box_cxcywh_to_xyxy(boxes),
                                     box_cxcywh_to_xyxy(targets))
    return w_class * cost_class + w_l1 * cost_l1 + w_giou * cost_giou


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 3 + 1, generator=g)  # 4 queries, 3 classes + "no object"
    boxes = torch.rand(4, 2, generator=g) * 0.6 + 0.2
    boxes = torch.cat([boxes, torch.full((4, 2), 0.2)], dim=1)
    labels = torch.tensor([0, 2])
    targets = torch.tensor([[0.3, 0.3, 0.2, 0.2], [0.7, 0.6, 0.2, 0.3]])
    cost = matching_cost(logits, boxes, labels, targets)
    print("cost (4 queries x 2 objects):")
    for row in cost.tolist():
        print("  ", "  ".join(f"{c:6.3f}" for c in row))
# --8<-- [end:matching_cost]


# --8<-- [start:hungarian_vs_brute_force]
import itertools

import torch
from scipy.optimize import linear_sum_assignment


def hungarian_match(cost):
    """Rows (queries) and columns (objects) of the cheapest one-to-one assignment.

    With N >= M every object gets exactly one query; the N - M others get "no object".
    """
    rows, cols = linear_sum_assignment(cost.detach().cpu().numpy())
    return torch.as_tensor(rows), torch.as_tensor(cols)


def brute_force_match(cost):
    """The same assignment, by trying all N!/(N-M)! maps of objects to distinct queries."""
    n, m = cost.shape
    c = cost.tolist()

    def total(queries):  # queries[j] is the query given to object j
        return sum(c[q][j] for j, q in enumerate(queries))

    best = min(itertools.permutations(range(n), m), key=total)
    order = sorted(range(m), key=lambda j: best[j])
    return torch.tensor([best[j] for j in order]), torch.tensor(order)


if __name__ == "__main__":
    g = torch.Generator().manual_seed(1)
    for n, m in [(4, 2), (6, 3), (7, 7)]:
        cost = torch.rand(n, m, generator=g)
        rows, cols = hungarian_match(cost)
        b_rows, b_cols = brute_force_match(cost)
        total = cost[rows, cols].sum().item()
        same = torch.equal(rows, b_rows) and torch.equal(cols, b_cols)
        pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
        print(f"N={n} M={m}: {pairs} cost {total:.4f}, brute force agrees: {same}")
# --8<-- [end:hungarian_vs_brute_force]

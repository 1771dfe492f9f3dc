"""The set loss of DETR: match, classify every query, regress the matched boxes."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.boxes import box_cxcywh_to_xyxy, generalized_box_iou
from snippets.detr.matcher import hungarian_match, matching_cost

# needs: boxes.py:box_formats, boxes.py:generalized_iou, matcher.py:matching_cost, matcher.py:hungarian_vs_brute_force
# --8<-- [start:set_loss]
import torch
import torch.nn.functional as F


def match_batch(logits, boxes, targets):
    """One Hungarian matching per image; targets: [{"labels": (M,), "boxes": (M, 4)}].

    The costs of all queries against all objects of the batch are computed at once,
    then each image's block (its queries x its objects) is matched on its own.
    """
    with torch.no_grad():
        batch, queries = logits.shape[:2]
        labels = torch.cat([t["labels"] for t in targets])
        true_boxes = torch.cat([t["boxes"] for t in targets])
        cost = matching_cost(logits.flatten(0, 1), boxes.flatten(0, 1), labels,
                             true_boxes)
        cost = cost.view(batch, queries, -1)
        blocks = cost.split([len(t["labels"]) for t in targets], dim=-1)
        return [hungarian_match(block[b]) for b, block in enumerate(blocks)]


def set_loss_single(logits, boxes, targets, no_object_weight=0.1,
                    w_class=1.0, w_l1=5.0, w_giou=2.0):
    """Loss of one decoder layer's output: logits (B, N, C + 1), boxes (B, N, 4)."""
    num_classes = logits.shape[-1] - 1
    matches = match_batch(logits, boxes, targets)
    # every query is classified: its matched object's class, or "no object" (index C)
    classes = torch.full(logits.shape[:2], num_classes, dtype=torch.long)
    for b, (rows, cols) in enumerate(matches):
        classes[b, rows] = targets[b]["labels"][cols]
    class_weight = torch.ones(num_classes + 1)
    class_weight[-1] = no_object_weight  # "no object" is the majority: weight 0.1
    loss_class = F.cross_entropy(logits.transpose(1, 2), classes, class_weight)
    # only matched queries regress a box; normalize by the number of objects
    pred = torch.cat([boxes[b, rows] for b, (rows, _) in enumerate(matches)])
    true = torch.cat([t["boxes"][cols]
                      for t, (_, cols) in zip(targets, matches, strict=True)])
    count = max(len(true), 1)
    loss_l1 = F.l1_loss(pred, true, reduction="sum") / count
    giou = torch.diag(generalized_box_iou(box_cxcywh_to_xyxy(pred),
                                          box_cxcywh_to_xyxy(true)))
    loss_giou = (1 - giou).sum() / count
    return w_class * loss_class + w_l1 * loss_l1 + w_giou * loss_giou


def set_loss(outputs, targets, **weights):
    """The last layer's loss plus the same loss on each earlier layer (auxiliary losses)."""
    layers = [outputs] + outputs.get("aux_outputs", [])
    return sum(set_loss_single(o["pred_logits"], o["pred_boxes"], targets, **weights)
               for o in layers)


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    # 2 images, 5 queries, 3 classes + "no object"
    logits = torch.randn(2, 5, 4, generator=g)
    boxes = torch.rand(2, 5, 4, generator=g) * 0.3 + 0.2
    targets = [
        {"labels": torch.tensor([1, 0]),
         "boxes": torch.tensor([[0.3, 0.4, 0.2, 0.2], [0.6, 0.6, 0.3, 0.2]])},
        {"labels": torch.tensor([2]), "boxes": torch.tensor([[0.5, 0.5, 0.4, 0.4]])},
    ]
    loss = set_loss({"pred_logits": logits, "pred_boxes": boxes}, targets)
    perm = torch.randperm(5, generator=g)  # shuffle the queries: the loss does not move
    shuffled = set_loss({"pred_logits": logits[:, perm], "pred_boxes": boxes[:, perm]},
                        targets)
    print(f"loss {loss.item():.6f}, with the queries shuffled {shuffled.item():.6f}")
# --8<-- [end:set_loss]

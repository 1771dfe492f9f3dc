"""The committed shapes model on images that training never saw."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.evaluate import evaluate_shapes
from snippets.detr.infer import detect
from snippets.detr.model import build_detr
from snippets.detr.shapes import SHAPE_CLASSES, make_image

# needs: model.py:configs, shapes.py:shapes_dataset, evaluate.py:evaluate_shapes, infer.py:detect
# --8<-- [start:held_out_results]
import torch
from PIL import Image

HELD_OUT_SEED = 2  # training used seed 0, validation during training seed 1
WEIGHTS = "shapes-detr.pt"  # downloaded from this page into the current folder

if __name__ == "__main__":
    torch.set_num_threads(1)
    checkpoint = torch.load(WEIGHTS, map_location="cpu", weights_only=True)
    config = checkpoint["config"]  # plain types: the small configuration, classes, threshold
    model = build_detr(config).eval()
    model.load_state_dict(checkpoint["model"], strict=True)
    threshold = config["threshold"]  # chosen on the validation images (seed 1)
    precision, recall = evaluate_shapes(model, HELD_OUT_SEED, 100, threshold=threshold)
    print(f"threshold {threshold}; 100 held-out images: precision {precision:.3f}, "
          f"recall {recall:.3f}")

    image, boxes, labels = make_image(HELD_OUT_SEED, 6)
    scores, found, found_boxes = detect(model, Image.fromarray(image), config,
                                        threshold)
    print(f"image 6: {len(boxes)} objects; {len(scores)} of {model.num_queries} queries"
          f" have a class probability >= {threshold}")
    for label, box in zip(labels.tolist(), boxes.tolist(), strict=True):
        print(f"  true   {SHAPE_CLASSES[label]:9s} {[round(v) for v in box]}")
    detections = zip(scores.tolist(), found.tolist(), found_boxes.tolist(), strict=True)
    for s, label, box in detections:
        print(f"  found  {SHAPE_CLASSES[label]:9s} {[round(v) for v in box]} p = {s:.2f}")
# --8<-- [end:held_out_results]

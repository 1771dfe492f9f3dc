"""The committed shapes model on images that training never saw."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.boxes import box_iou
from snippets.detr.evaluate import count_matches, evaluate_shapes
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


# needs: model.py:configs, shapes.py:shapes_dataset, evaluate.py:precision_recall, infer.py:detect
# --8<-- [start:outside_training]
import torch
from PIL import Image


def recall_by_object_count(model, config, threshold, seed, images, max_objects):
    """{shapes in the image: (images, recall at IoU 0.5)} on generated images that hold
    1 to max_objects shapes, each run through `detect` as the command line runs it."""
    tally = {}  # shapes in the image: [images, objects, objects found]
    for index in range(images):
        image, boxes, labels = make_image(seed, index, max_objects=max_objects)
        scores, found, found_boxes = detect(model, Image.fromarray(image), config, threshold)
        detections = {"scores": scores, "labels": found, "boxes": found_boxes}
        hits = count_matches(detections, torch.from_numpy(boxes), torch.from_numpy(labels).long())
        row = tally.setdefault(len(boxes), [0, 0, 0])
        row[0], row[1], row[2] = row[0] + 1, row[1] + len(boxes), row[2] + hits
    return {n: (count, hits / objects) for n, (count, objects, hits) in sorted(tally.items())}


def mean_best_iou(model, config, threshold, seed, images, image_size, size=None):
    """How tight the boxes are: the IoU of each object with the detection that overlaps it
    most (0 if there is none), averaged over all objects of `images` generated images."""
    ious = []
    for index in range(images):
        image, boxes, _ = make_image(seed, index, size=image_size)
        _, _, found_boxes = detect(model, Image.fromarray(image), config, threshold, size=size)
        if len(found_boxes) == 0:
            ious += [0.0] * len(boxes)
            continue
        iou, _ = box_iou(torch.from_numpy(boxes), found_boxes)
        ious += iou.max(dim=1).values.tolist()
    return sum(ious) / len(ious)


if __name__ == "__main__":
    torch.set_num_threads(1)
    checkpoint = torch.load("shapes-detr.pt", map_location="cpu", weights_only=True)
    config, threshold = checkpoint["config"], checkpoint["config"]["threshold"]
    model = build_detr(config).eval()
    model.load_state_dict(checkpoint["model"], strict=True)

    # Seed 3: images neither training (0), validation (1) nor the held-out set (2) used.
    print("shapes in the image  images  recall")  # training drew 1 to 4
    by_count = recall_by_object_count(model, config, threshold, seed=3, images=300, max_objects=6)
    for shapes, (count, recall) in by_count.items():
        print(f"{shapes:19d} {count:7d} {recall:7.2f}")

    # Shapes of 10-30 pixels as in training, on 64 x 64 and on 128 x 128 images.
    print("mean IoU of each object's best detection, 100 images:")
    as_trained = mean_best_iou(model, config, threshold, 2, 100, image_size=64)
    shrunk = mean_best_iou(model, config, threshold, 2, 100, image_size=128)  # resized to 64
    full = mean_best_iou(model, config, threshold, 2, 100, image_size=128, size=128)
    for label, iou in [("64 x 64 images", as_trained),
                       ("128 x 128 images, resized to 64 (the default)", shrunk),
                       ("128 x 128 images at full size (size=128)", full)]:
        print(f"  {label + ':':48s} {iou:.2f}")
# --8<-- [end:outside_training]

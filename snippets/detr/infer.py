"""Run a DETR checkpoint on an image, print the detections and draw them.

    python detect.py IMAGE [--weights PATH] [--threshold T] [--size S] [--out OUT.png]

detect.py is the reader's launcher: it imports `main` from the article's script detr_code.py,
downloaded beside it (from the repository: python -m snippets.detr.infer IMAGE ...).
--weights is the shapes model, shapes-detr.pt in the current folder by default (in the
repository snippets/detr/weights/), or the authors' DETR-R50 checkpoint
(detr-r50-e632da11.pth, a dict with key "model"): then the labels are COCO's. Nothing is
downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.detr.coco import COCO_CLASSES
from snippets.detr.evaluate import postprocess
from snippets.detr.model import R50_CONFIG, build_detr

WEIGHTS = Path(__file__).with_name("weights") / "shapes-detr.pt"


# needs: evaluate.py:postprocess
# --8<-- [start:detect]
import numpy as np
import torch
from PIL import Image


def detect(model, image, config, threshold=0.7, size=None):
    """Detections in a PIL image: resize (shorter side to `size`), normalize, run.

    Returns (scores, labels, boxes) with boxes as x0, y0, x1, y1 in the original pixels.
    """
    size = size or config["min_size"]
    w, h = image.size
    scale = min(size / min(w, h), config["max_size"] / max(w, h))
    new_size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resized = image.resize(new_size, Image.BILINEAR)
    x = torch.from_numpy(np.asarray(resized, dtype=np.float32) / 255).permute(2, 0, 1)
    mean, std = torch.tensor(config["mean"]), torch.tensor(config["std"])
    x = (x - mean[:, None, None]) / std[:, None, None]
    with torch.no_grad():
        outputs = model(x[None])
    found = postprocess(outputs, [(h, w)], threshold)[0]  # boxes in the original pixels
    return found["scores"], found["labels"], found["boxes"]
# --8<-- [end:detect]


# --8<-- [start:draw_detections]
from PIL import Image, ImageDraw, ImageFont

PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6"]


def draw_detections(image, scores, labels, boxes, names, min_side=320):
    """A copy of the image (enlarged if small, for legible labels) with labelled boxes."""
    zoom = max(1, -(-min_side // min(image.size)))  # integer zoom: pixels stay sharp
    canvas = image.resize((image.width * zoom, image.height * zoom), Image.NEAREST)
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=max(11, min(canvas.size) // 28))
    found = zip(scores.tolist(), labels.tolist(), boxes.tolist(), strict=True)
    for score, label, box in found:
        colour = PALETTE[label % len(PALETTE)]
        x0, y0, x1, y1 = [v * zoom for v in box]
        draw.rectangle([x0, y0, x1, y1], outline=colour, width=max(2, zoom // 2))
        text = f"{names[label]} {score:.2f}"
        left, top, right, bottom = draw.textbbox((x0, y0), text, font=font)
        y = y0 - (bottom - top) - 4 if y0 - (bottom - top) - 4 >= 0 else y1 + 2
        draw.rectangle([x0, y, x0 + right - left + 4, y + bottom - top + 4], fill=colour)
        draw.text((x0 + 2, y + 2 - (top - y0)), text, fill="white", font=font)
    return canvas
# --8<-- [end:draw_detections]


# needs: model.py:configs, coco.py:coco_names, detect, draw_detections
# --8<-- [start:command_line]
import argparse
import sys
from pathlib import Path

import torch
from PIL import Image, UnidentifiedImageError


class CLIError(Exception):
    """A problem with the user's input, reported as one line."""


def load_model(path):
    """(model in eval mode, config) from our checkpoint or the authors' DETR-R50 file."""
    path = Path(path)
    if not path.is_file():
        raise CLIError(f"weights file not found: {path}")
    try:
        # weights_only: tensors and plain types only, no code. A training checkpoint of
        # the authors' main.py also stores its argparse.Namespace: harmless, so allowed.
        with torch.serialization.safe_globals([argparse.Namespace]):
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # pickle, zip and unpickling errors all land here
        if "can still be loaded" in str(err):
            raise CLIError(f"{path} holds Python objects that torch.load(weights_only=True) "
                           "refuses to unpickle") from None
        raise CLIError(f"{path} is not a PyTorch checkpoint ({type(err).__name__})") from None
    if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("model"), dict):
        raise CLIError(f"{path} holds no 'model' state dict")
    if "config" in checkpoint:  # ours: tensors + a config of plain types
        config = checkpoint["config"]
    else:  # the authors' checkpoint: COCO, ResNet-50, resized as in their evaluation
        config = dict(R50_CONFIG, classes=COCO_CLASSES, mean=[0.485, 0.456, 0.406],
                      std=[0.229, 0.224, 0.225], min_size=800, max_size=1333)
    model = build_detr(config).eval()
    expected, given = model.state_dict(), checkpoint["model"]
    missing = [k for k in expected if k not in given]
    unexpected = [k for k in given if k not in expected]
    wrong = [k for k in expected if k in given and given[k].shape != expected[k].shape]
    if missing or unexpected or wrong:
        first = (f"{wrong[0]} is {tuple(given[wrong[0]].shape)}, expected {tuple(expected[wrong[0]].shape)}"
                 if wrong else (missing or unexpected)[0])
        raise CLIError(f"checkpoint {path} does not fit the model: {len(missing)} missing, "
                       f"{len(unexpected)} unexpected, {len(wrong)} wrong-shaped tensors (first: {first})")
    model.load_state_dict(given, strict=True)
    return model, config


def read_image(path):
    path = Path(path)
    if not path.is_file():
        raise CLIError(f"image not found: {path}")
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (UnidentifiedImageError, OSError) as err:
        raise CLIError(f"{path} is not an image that PIL can read ({type(err).__name__})") from None


def main(argv=None, weights="shapes-detr.pt"):
    """The command line; `weights` is the default of --weights. Returns the exit code."""
    parser = argparse.ArgumentParser(prog="detect.py",
                                     description="Detect objects in an image with a DETR checkpoint.")
    parser.add_argument("image", help="an image file PIL can read")
    parser.add_argument("--weights", default=str(weights),
                        help=f"our checkpoint (default: {weights}) or detr-r50-e632da11.pth")
    parser.add_argument("--threshold", type=float, default=None,
                        help="minimum class probability, in [0, 1] (default: the checkpoint's, "
                             "else 0.7)")
    parser.add_argument("--size", type=int, default=None,
                        help="resize the shorter side to this many pixels (default: the checkpoint's)")
    parser.add_argument("--out", help="write the image with the detections drawn (PNG)")
    args = parser.parse_args(argv)
    try:
        if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
            raise CLIError(f"--threshold must be in [0, 1], got {args.threshold}")
        if args.size is not None and args.size < 16:
            raise CLIError(f"--size must be at least 16 pixels, got {args.size}")
        image = read_image(args.image)
        model, config = load_model(args.weights)
        threshold = config.get("threshold", 0.7) if args.threshold is None else args.threshold
        scores, labels, boxes = detect(model, image, config, threshold, args.size)
        names = config["classes"]
        print(f"{len(scores)} detections with probability >= {threshold:.2f} in {Path(args.image).name}")
        for s, lab, b in zip(scores.tolist(), labels.tolist(), boxes.tolist(), strict=True):
            print(f"  {names[lab]:12s} {s:.3f}  x0 {b[0]:6.1f}  y0 {b[1]:6.1f}  x1 {b[2]:6.1f}  y1 {b[3]:6.1f}")
        if args.out:
            out = Path(args.out)
            if not out.parent.is_dir():
                raise CLIError(f"output folder does not exist: {out.parent}")
            draw_detections(image, scores, labels, boxes, names).save(out)
            print(f"drawn to {out.name}")
    except CLIError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
# --8<-- [end:command_line]


if __name__ == "__main__":  # from the repository: the committed checkpoint is the default
    sys.exit(main(weights=WEIGHTS))

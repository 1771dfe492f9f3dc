"""Train the small DETR on generated shapes: `python -m snippets.detr.train` (make train-detr).

Writes snippets/detr/weights/shapes-detr.pt (tensors + a config dict of plain types) after
every evaluation, so an interrupted run still leaves a usable checkpoint behind.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import torch

from snippets.detr.evaluate import evaluate_shapes
from snippets.detr.model import SHAPES_CONFIG, build_detr
from snippets.detr.shapes import IMAGE_SIZE, MEAN, SHAPE_CLASSES, STD, make_batch

WEIGHTS = Path(__file__).with_name("weights") / "shapes-detr.pt"
TRAIN_SEED, VAL_SEED = 0, 1  # the tests use a third stream of images (seed 2)


# On the page this comes from the earlier block that `# needs:` names.
from snippets.detr.loss import set_loss

# needs: loss.py:set_loss
# --8<-- [start:train_step]
import torch


def sample_batch(pool_images, pool_targets, count, generator):
    """Random images of the pool, each flipped left-right and/or up-down at random.

    A flip moves the centre of every box (cx -> 1 - cx) and keeps its width and height.
    """
    picks = torch.randint(len(pool_images), (count,), generator=generator).tolist()
    flips = (torch.rand(count, 2, generator=generator) < 0.5).tolist()
    images, targets = [], []
    for i, (flip_x, flip_y) in zip(picks, flips, strict=True):
        image, boxes = pool_images[i], pool_targets[i]["boxes"].clone()
        if flip_x:
            image, boxes[:, 0] = image.flip(-1), 1 - boxes[:, 0]
        if flip_y:
            image, boxes[:, 1] = image.flip(-2), 1 - boxes[:, 1]
        images.append(image)
        targets.append({"labels": pool_targets[i]["labels"], "boxes": boxes})
    return torch.stack(images), targets


def train_step(model, optimizer, images, targets):
    """One update: set loss over all decoder layers, gradient norm clipped to 0.1."""
    model.train()
    loss = set_loss(model(images), targets)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
    optimizer.step()
    return loss.item()
# --8<-- [end:train_step]


THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


def choose_threshold(model, seed=VAL_SEED, count=300):
    """The class-probability threshold with the best min(precision, recall) on validation
    images (never on the held-out ones the tests use); ties go to the higher threshold."""
    scored = [(min(evaluate_shapes(model, seed, count, threshold=t)), t) for t in THRESHOLDS]
    return max(scored)[1]


def save(model, path, settings, history, threshold=0.7):
    """The weights and a config of plain types (ints, floats, strings, lists) only."""
    config = dict(SHAPES_CONFIG, classes=list(SHAPE_CLASSES), mean=list(MEAN), std=list(STD),
                  min_size=IMAGE_SIZE, max_size=4 * IMAGE_SIZE, threshold=threshold,
                  training=settings, history=[list(row) for row in history])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "config": config}, tmp)
    tmp.replace(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--pool", type=int, default=8000, help="generated training images")
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--val-images", type=int, default=100,
                        help="during training; three times as many choose the threshold")
    parser.add_argument("--threads", type=int, default=1, help="1 is fastest on a busy 2-core machine")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args(argv)
    settings = [f"{k}={v}" for k, v in vars(args).items() if k != "out"]

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = build_detr(SHAPES_CONFIG)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters", flush=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)

    def lr_factor(step):  # linear warm-up, then cosine decay to 5%
        if step < args.warmup:
            return (step + 1) / args.warmup
        progress = (step - args.warmup) / max(1, args.steps - args.warmup)
        return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    start = time.time()
    pool_images, pool_targets = make_batch(TRAIN_SEED, 0, args.pool)
    print(f"generated {args.pool} training images in {time.time() - start:.0f}s", flush=True)
    g = torch.Generator().manual_seed(0)
    losses, history = [], []  # history rows: step, mean loss, precision, recall, seconds
    for step in range(1, args.steps + 1):
        images, targets = sample_batch(pool_images, pool_targets, args.batch, g)
        losses.append(train_step(model, optimizer, images, targets))
        scheduler.step()
        if step % 50 == 0:
            print(f"step {step} loss {sum(losses[-50:]) / 50:.3f} lr {scheduler.get_last_lr()[0]:.2e} "
                  f"{time.time() - start:.0f}s", flush=True)
        if step % args.eval_every == 0 or step == args.steps:
            precision, recall = evaluate_shapes(model, VAL_SEED, args.val_images)
            recent = losses[-args.eval_every:]
            history.append((step, round(sum(recent) / len(recent), 4), round(precision, 4), round(recall, 4),
                            round(time.time() - start)))
            print(f"step {step}: val precision {precision:.3f} recall {recall:.3f}", flush=True)
            save(model, args.out, settings, history)
    threshold = choose_threshold(model, VAL_SEED, 3 * args.val_images)
    save(model, args.out, settings, history, threshold)
    print(f"done in {time.time() - start:.0f}s, threshold {threshold} -> {args.out}")


if __name__ == "__main__":
    main()

"""A seeded synthetic detection data set: coloured shapes on noisy backgrounds."""

# --8<-- [start:shapes_dataset]
import numpy as np
import torch
from PIL import Image, ImageDraw

SHAPE_CLASSES = ["rectangle", "ellipse", "triangle"]
IMAGE_SIZE = 64
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]  # ImageNet's, as DETR uses


def make_image(seed, index, size=IMAGE_SIZE, max_objects=4):
    """Image `index` of stream `seed`: (RGB uint8 array, boxes xyxy in pixels, labels).

    1-4 shapes of 10-30 pixels whose boxes do not overlap, each a random colour
    that differs from the background, on a two-colour gradient with Gaussian noise.
    """
    rng = np.random.default_rng([seed, index])
    corners = rng.uniform(0, 255, size=(2, 3))
    ramp = np.linspace(0, 1, size)
    t = ramp[:, None, None] if rng.random() < 0.5 else ramp[None, :, None]  # up or across
    background = corners[0] * (1 - t) + corners[1] * t + np.zeros((size, size, 3))
    image = Image.fromarray(background.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    wanted = rng.integers(1, max_objects + 1)
    boxes, labels = [], []
    for _ in range(50):  # attempts at placing a shape
        if len(boxes) == wanted:
            break
        w, h = rng.integers(10, 31, size=2)
        x0, y0 = rng.integers(0, size - w + 1), rng.integers(0, size - h + 1)
        box = [x0, y0, x0 + w, y0 + h]
        if any(box[0] < b[2] + 2 and b[0] < box[2] + 2 and box[1] < b[3] + 2
               and b[1] < box[3] + 2 for b in boxes):
            continue  # would touch a shape already placed
        local = background[y0:y0 + h, x0:x0 + w].mean((0, 1))
        colour = rng.uniform(0, 255, size=3)
        while np.abs(colour - local).sum() < 150:
            colour = rng.uniform(0, 255, size=3)
        fill = tuple(int(c) for c in colour)
        label = int(rng.integers(len(SHAPE_CLASSES)))
        if label == 0:
            draw.rectangle([x0, y0, x0 + w - 1, y0 + h - 1], fill=fill)
        elif label == 1:
            draw.ellipse([x0, y0, x0 + w - 1, y0 + h - 1], fill=fill)
        else:  # apex on one side, base on the opposite side: the box is tight
            apex = x0 + rng.integers(0, w)
            points = [(apex, y0), (x0, y0 + h - 1), (x0 + w - 1, y0 + h - 1)]
            if rng.random() < 0.5:
                points = [(apex, y0 + h - 1), (x0, y0), (x0 + w - 1, y0)]
            draw.polygon(points, fill=fill)
        boxes.append(box)
        labels.append(label)
    noisy = np.asarray(image, dtype=np.float64) + rng.normal(0, 12, size=(size, size, 3))
    image = noisy.clip(0, 255).astype(np.uint8)
    return image, np.array(boxes, dtype=np.float32), np.array(labels)


def to_tensor(image):
    """uint8 (H, W, 3) -> normalized float (3, H, W)."""
    x = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1).float() / 255
    return (x - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]


def make_batch(seed, start, count, size=IMAGE_SIZE):
    """Images start..start+count-1 of a stream as a batch, with DETR-style targets."""
    images, targets = [], []
    for index in range(start, start + count):
        image, boxes, labels = make_image(seed, index, size)
        images.append(to_tensor(image))
        x0, y0, x1, y1 = (torch.from_numpy(boxes) / size).unbind(-1)  # normalized
        cxcywh = torch.stack([(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0], dim=-1)
        targets.append({"labels": torch.from_numpy(labels).long(), "boxes": cxcywh})
    return torch.stack(images), targets


if __name__ == "__main__":
    image, boxes, labels = make_image(seed=0, index=0)
    print("image", image.shape, image.dtype)
    for box, label in zip(boxes.tolist(), labels.tolist(), strict=True):
        print(f"{SHAPE_CLASSES[label]:9s} box (x0, y0, x1, y1) = {box}")
    images, targets = make_batch(seed=0, start=0, count=8)
    print("batch", tuple(images.shape), "objects:", [len(t["labels"]) for t in targets])
# --8<-- [end:shapes_dataset]


def save_sample(path, seed=2, index=6, size=IMAGE_SIZE):
    """Write one generated image as PNG; the defaults made snippets/detr/sample.png."""
    Image.fromarray(make_image(seed, index, size)[0]).save(path)

import numpy as np
import torch

from snippets.detr.shapes import IMAGE_SIZE, SHAPE_CLASSES, make_batch, make_image, save_sample, to_tensor


def test_generated_images_are_reproducible_from_seed_and_index():
    a, b = make_image(3, 17), make_image(3, 17)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(make_image(3, 18)[0], a[0])
    assert not np.array_equal(make_image(4, 17)[0], a[0])


def test_shapes_lie_inside_the_image_without_overlapping():
    for index in range(200):
        image, boxes, labels = make_image(0, index)
        assert image.shape == (IMAGE_SIZE, IMAGE_SIZE, 3) and image.dtype == np.uint8
        assert 1 <= len(boxes) <= 4 and len(boxes) == len(labels)
        assert (boxes[:, :2] >= 0).all() and (boxes[:, 2:] <= IMAGE_SIZE).all()
        assert ((boxes[:, 2:] - boxes[:, :2]) >= 10).all()
        assert set(labels.tolist()) <= set(range(len(SHAPE_CLASSES)))
        for i in range(len(boxes)):
            for j in range(i):
                a, b = boxes[i], boxes[j]
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_every_class_appears():
    labels = np.concatenate([make_image(0, i)[2] for i in range(50)])
    assert set(labels.tolist()) == {0, 1, 2}


def test_batch_targets_are_normalized_cxcywh():
    images, targets = make_batch(0, 5, 3)
    _, boxes, labels = make_image(0, 5)
    assert images.shape == (3, 3, IMAGE_SIZE, IMAGE_SIZE)
    expected = torch.from_numpy(boxes) / IMAGE_SIZE
    got = targets[0]["boxes"]
    assert torch.allclose(got[:, 0] - got[:, 2] / 2, expected[:, 0])
    assert torch.allclose(got[:, 3], expected[:, 3] - expected[:, 1])
    assert torch.equal(targets[0]["labels"], torch.from_numpy(labels))
    assert torch.allclose(images[0], to_tensor(make_image(0, 5)[0]))


def test_the_committed_sample_image_is_what_the_generator_makes():
    from pathlib import Path

    from PIL import Image

    import snippets.detr

    with Image.open(Path(snippets.detr.__file__).with_name("sample.png")) as image:
        assert np.array_equal(np.asarray(image), make_image(2, 6)[0])


def test_save_sample_writes_a_png(tmp_path):
    from PIL import Image

    save_sample(tmp_path / "x.png", seed=9, index=0)
    with Image.open(tmp_path / "x.png") as image:
        assert image.size == (IMAGE_SIZE, IMAGE_SIZE)
        assert np.array_equal(np.asarray(image), make_image(9, 0)[0])

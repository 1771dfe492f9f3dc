import subprocess
import sys

import pytest
import torch
from PIL import Image

from snippets.detr.evaluate import precision_recall
from snippets.detr.infer import WEIGHTS, detect, draw_detections, load_model, main
from snippets.detr.shapes import make_image, save_sample


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "shapes.png"
    save_sample(path, seed=2, index=3)
    return path


def run(argv, capsys):
    # A reader's default is shapes-detr.pt in the current folder; here, the committed file.
    code = main([str(a) for a in argv], weights=WEIGHTS)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_and_draws_the_detections(sample, tmp_path, capsys):
    code, out, err = run([sample, "--out", tmp_path / "drawn.png"], capsys)
    assert code == 0 and err == ""
    _, boxes, labels = make_image(2, 3)
    assert out.startswith(f"{len(boxes)} detections")
    with Image.open(tmp_path / "drawn.png") as drawn:
        assert drawn.size[0] >= 320 and drawn.size[0] % 64 == 0


def test_detect_returns_boxes_in_the_pixels_of_the_image_it_was_given():
    # 128x128 images are resized to the model's 64 pixels; boxes must come back at 128.
    model, config = load_model(WEIGHTS)
    found, truth, labels = [], [], []
    for index in range(10):
        image, boxes, classes = make_image(2, index)
        big = Image.fromarray(image).resize((128, 128), Image.NEAREST)
        scores, found_labels, found_boxes = detect(model, big, config, config["threshold"])
        found.append({"scores": scores, "labels": found_labels, "boxes": found_boxes})
        truth.append(torch.from_numpy(boxes) * 2)
        labels.append(torch.from_numpy(classes).long())
    precision, recall = precision_recall(found, truth, labels)
    assert precision > 0.8 and recall > 0.8


def test_draw_detections_enlarges_small_images_by_an_integer_factor():
    image = Image.new("RGB", (64, 48))
    drawn = draw_detections(image, torch.tensor([0.9]), torch.tensor([1]), torch.tensor([[4.0, 4.0, 30.0, 20.0]]),
                            ["a", "b"])
    assert drawn.size == (64 * 7, 48 * 7)


@pytest.mark.parametrize("make, message", [
    (lambda d: [d / "missing.png"], "image not found"),
    (lambda d: [d / "text.png"], "is not an image"),
    (lambda d: [d / "shapes.png", "--threshold", "1.5"], "--threshold must be in [0, 1]"),
    (lambda d: [d / "shapes.png", "--threshold", "-0.1"], "--threshold must be in [0, 1]"),
    (lambda d: [d / "shapes.png", "--weights", d / "missing.pt"], "weights file not found"),
    (lambda d: [d / "shapes.png", "--weights", d / "text.png"], "is not a PyTorch checkpoint"),
    (lambda d: [d / "shapes.png", "--weights", d / "wrong.pt"], "does not fit the model"),
    (lambda d: [d / "shapes.png", "--weights", d / "nomodel.pt"], "holds no 'model' state dict"),
])
def test_bad_input_gives_a_one_line_error_and_a_nonzero_exit(make, message, sample, tmp_path, capsys):
    (tmp_path / "text.png").write_text("not an image")
    checkpoint = torch.load(WEIGHTS, weights_only=True)
    checkpoint["model"]["class_embed.weight"] = torch.zeros(7, 128)  # a model with 6 classes
    torch.save(checkpoint, tmp_path / "wrong.pt")
    torch.save({"weights": {}}, tmp_path / "nomodel.pt")
    code, out, err = run(make(tmp_path), capsys)
    assert code != 0 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_wrong_shape_error_names_the_tensor(sample, tmp_path, capsys):
    checkpoint = torch.load(WEIGHTS, weights_only=True)
    checkpoint["model"]["class_embed.weight"] = torch.zeros(7, 128)
    torch.save(checkpoint, tmp_path / "wrong.pt")
    _, _, err = run([sample, "--weights", tmp_path / "wrong.pt"], capsys)
    assert "class_embed.weight is (7, 128), expected (4, 128)" in err


def test_official_checkpoint_format_gives_coco_labels(sample, seeded_r50, tmp_path, capsys):
    # A file shaped like detr-r50-e632da11.pth: {"model": state_dict}, no config.
    torch.save({"model": seeded_r50.state_dict()}, tmp_path / "detr-r50.pth")
    code, out, _ = run([sample, "--weights", tmp_path / "detr-r50.pth", "--threshold", "0", "--size", "64"], capsys)
    from snippets.detr.coco import COCO_CLASSES

    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("100 detections")
    assert all(line.split()[0] in {name.split()[0] for name in COCO_CLASSES} for line in lines[1:])


def test_a_training_checkpoint_with_its_argparse_namespace_still_loads(tmp_path):
    import argparse

    checkpoint = torch.load(WEIGHTS, weights_only=True)
    checkpoint["args"] = argparse.Namespace(lr=1e-4, epochs=500)
    torch.save(checkpoint, tmp_path / "with-args.pt")
    model, config = load_model(tmp_path / "with-args.pt")
    assert config["classes"] == checkpoint["config"]["classes"]


def test_a_checkpoint_with_arbitrary_objects_is_refused(tmp_path, sample, capsys):
    torch.save({"model": {}, "extra": Image.new("RGB", (2, 2))}, tmp_path / "objects.pt")
    code, _, err = run([sample, "--weights", tmp_path / "objects.pt"], capsys)
    assert code != 0 and "refuses to unpickle" in err and err.count("\n") == 1


def test_checkpoint_loads_with_weights_only_and_holds_plain_config():
    checkpoint = torch.load(WEIGHTS, weights_only=True)
    assert set(checkpoint) == {"model", "config"}
    assert all(isinstance(v, torch.Tensor) for v in checkpoint["model"].values())
    plain = (int, float, str, bool, list)
    assert all(isinstance(v, plain) for v in checkpoint["config"].values())
    assert WEIGHTS.stat().st_size < 10_000_000


def test_cli_exit_code_is_nonzero_from_the_shell(tmp_path):
    result = subprocess.run([sys.executable, "-m", "snippets.detr.infer", str(tmp_path / "nothing.png")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [f"error: image not found: {tmp_path / 'nothing.png'}"]

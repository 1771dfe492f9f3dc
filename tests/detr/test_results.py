import torch

from snippets.detr.evaluate import evaluate_shapes
from snippets.detr.infer import WEIGHTS, load_model
from snippets.detr.results import HELD_OUT_SEED
from snippets.detr.train import TRAIN_SEED, VAL_SEED


def test_held_out_images_come_from_a_seed_training_never_used():
    assert HELD_OUT_SEED not in (TRAIN_SEED, VAL_SEED)


def test_trained_shapes_detr_reaches_090_precision_and_recall_on_held_out_images():
    torch.set_num_threads(1)
    model, _ = load_model(WEIGHTS)
    precision, recall = evaluate_shapes(model, HELD_OUT_SEED, 100, threshold=0.7)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)

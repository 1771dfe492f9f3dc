import torch

from snippets.detr.model import SHAPES_CONFIG, build_detr
from snippets.detr.reference import seeded_state_dict


def test_seeded_weights_follow_the_recipe():
    model = build_detr(SHAPES_CONFIG)
    filled = seeded_state_dict(model)
    assert list(filled) == sorted(model.state_dict())
    g = torch.Generator().manual_seed(0)
    first = sorted(model.state_dict())[0]  # backbone.0.body.bn1.bias: 1-D, not a weight
    assert first == "backbone.0.body.bn1.bias"
    assert torch.equal(filled[first], torch.randn(filled[first].shape, generator=g) * 0.1)
    assert all(filled[k].shape == v.shape for k, v in model.state_dict().items())


def test_seeded_weights_are_the_same_for_any_model_with_the_same_names():
    a, b = build_detr(SHAPES_CONFIG), build_detr(SHAPES_CONFIG)
    fa, fb = seeded_state_dict(a), seeded_state_dict(b)
    assert all(torch.equal(fa[k], fb[k]) for k in fa)


def test_running_variances_are_positive():
    filled = seeded_state_dict(build_detr(SHAPES_CONFIG))
    variances = [v for k, v in filled.items() if k.endswith("running_var")]
    assert variances and all(v.min() >= 0.5 and v.max() <= 2.0 for v in variances)

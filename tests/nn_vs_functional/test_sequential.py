import pytest
import torch.nn as nn
import torch.nn.functional as F

from snippets.nn_vs_functional import sequential


def test_sequential_rejects_a_function():
    with pytest.raises(TypeError, match="relu is not a Module subclass"):
        nn.Sequential(F.relu)


def test_eval_reaches_every_layer_of_a_sequential():
    sequential.model.train()
    sequential.model.eval()
    assert all(not layer.training for layer in sequential.model)

import torch

from snippets.nn_vs_functional.state import Holder


def test_state_dict_has_parameters_and_persistent_buffers_only():
    assert list(Holder().state_dict()) == ["weight", "running"]


def test_plain_tensor_attribute_is_neither_parameter_nor_buffer():
    h = Holder()
    assert "plain" not in dict(h.named_parameters()) and "plain" not in dict(h.named_buffers())


def test_non_persistent_buffer_is_a_buffer_but_not_saved():
    h = Holder()
    assert "scratch" in dict(h.named_buffers())
    assert "scratch" not in h.state_dict()


def test_load_state_dict_restores_the_buffer_but_not_the_plain_tensor():
    source, target = Holder(), Holder()
    source.running.fill_(5.0)
    source.plain.fill_(5.0)
    target.load_state_dict(source.state_dict())
    assert torch.equal(target.running, torch.full((2,), 5.0))
    assert torch.equal(target.plain, torch.zeros(2))

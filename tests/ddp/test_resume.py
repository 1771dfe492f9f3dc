import pytest
import torch

from snippets.ddp import resume
from snippets.ddp.launch import in_fresh_process
from snippets.ddp.train import make_model

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def runs():
    """The five launches of the page's proof, once for all tests of this module."""
    return in_fresh_process(resume.crash_and_resume)


def test_crashed_run_exits_nonzero_with_the_epoch_1_checkpoint(runs):
    assert runs["crashed"][0] == [1, 1]
    assert runs["checkpoint epoch"] == 1  # epochs 0 and 1 done; step 20 is in epoch 2


def test_resumed_run_equals_the_uninterrupted_run_bitwise(runs):
    codes, resumed = runs["resumed"]
    assert codes == [0, 0] and runs["uninterrupted"][0] == [0, 0]
    reference = runs["uninterrupted"][1]
    assert resumed.keys() == reference.keys()
    for key in reference:
        assert torch.equal(resumed[key], reference[key])
    # ...and the run trained: the weights are not the initial ones.
    torch.set_default_dtype(torch.float64)
    try:
        start = make_model().state_dict()
    finally:
        torch.set_default_dtype(torch.float32)
    assert (reference["0.weight"] - start["0.weight"]).abs().max() > 1e-2


@pytest.mark.parametrize("mistake", ["resumed without set_epoch", "resumed without optimizer state"])
def test_each_resume_mistake_changes_the_weights(runs, mistake):
    codes, final = runs[mistake]
    assert codes == [0, 0]
    reference = runs["uninterrupted"][1]
    assert max((final[k] - reference[k]).abs().max().item() for k in reference) > 1e-2


def test_loading_across_the_module_prefix_fails_both_ways():
    errors = in_fresh_process(resume.prefix_errors)
    assert len(errors) == 2
    assert errors[0].startswith("Error(s) in loading state_dict for Sequential:")
    assert 'Unexpected key(s) in state_dict: "module.0.weight"' in errors[0]
    assert errors[1].startswith("Error(s) in loading state_dict for DistributedDataParallel:")
    assert 'Missing key(s) in state_dict: "module.0.weight"' in errors[1]


def test_torch_load_docs_say_tensors_return_to_the_device_they_were_saved_from():
    """Why map_location matters on GPUs (PyTorch 2.13, torch.load's docstring)."""
    doc = " ".join(torch.load.__doc__.split())
    assert "They are first deserialized on the CPU and are then moved to the device they were saved from" in doc


def test_launch_refuses_a_world_of_zero(tmp_path):
    with pytest.raises(ValueError, match="world must be a positive int, got 0"):
        resume.launch(0, tmp_path, "run")


def test_optimizer_state_is_momentum_for_sgd_and_two_moments_and_a_step_for_adam():
    """What the checkpoint must carry besides the weights."""
    for optimizer, keys in [(torch.optim.SGD, {"momentum_buffer"}),
                            (torch.optim.Adam, {"exp_avg", "exp_avg_sq", "step"})]:
        model = make_model()
        opt = optimizer(model.parameters(), lr=0.01, **({"momentum": 0.9} if optimizer is torch.optim.SGD else {}))
        model(torch.ones(1, 8)).sum().backward()
        opt.step()
        state = opt.state_dict()["state"]
        assert len(state) == len(list(model.parameters()))
        assert all(set(s) == keys for s in state.values())

import signal

import pytest

from snippets.ddp import hangs
from snippets.ddp.launch import in_fresh_process

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def unused():
    return in_fresh_process(hangs.unused_parameter_errors)


@pytest.fixture(scope="module")
def skipped():
    """Both debug levels of the skipped all_reduce, once for all tests (2 s timeout each)."""
    return {level: in_fresh_process(hangs.run_skipped_all_reduce, level) for level in ["OFF", "DETAIL"]}


def test_unused_parameter_fails_at_the_next_iteration(unused):
    for level in ["OFF", "INFO", "DETAIL"]:
        step, error = unused[level]
        assert step == 1  # the first backward passes; the second forward raises
        assert error.startswith("Expected to have finished reduction in the prior iteration")


@pytest.mark.parametrize("level", ["INFO", "DETAIL"])
def test_default_error_gives_indices_info_and_detail_name_the_parameters(unused, level):
    off, named = unused["OFF"][1], unused[level][1]
    assert "Parameter indices which did not receive grad for rank 0: 4 5" in off
    assert "aux.weight" not in off
    assert "Parameters which did not receive grad for rank 0: aux.bias, aux.weight" in named


def test_find_unused_parameters_trains_and_leaves_the_unused_gradient_empty(unused):
    assert unused["find_unused_parameters=True"] == (3, None)
    assert unused["aux.weight.grad"] is None


def test_docs_say_find_unused_parameters_traverses_the_autograd_graph():
    """The cost the page cites (PyTorch 2.13, DistributedDataParallel's docstring)."""
    from torch.nn.parallel import DistributedDataParallel

    doc = " ".join(DistributedDataParallel.__doc__.split())
    assert "find_unused_parameters (bool): Traverse the autograd graph from all tensors" in doc


def test_skipped_all_reduce_times_out_instead_of_hanging(skipped):
    assert skipped["OFF"] == {
        0: "RuntimeError: Timed out waiting 2000ms for recv operation to complete",
        1: "skipped the all_reduce, carried on"}


def test_detail_names_the_rank_that_never_came(skipped):
    assert skipped["DETAIL"][0] == "RuntimeError: [Rank 0]: Ranks 1 failed to pass monitoredBarrier in 2000 ms"


def test_detail_set_before_init_process_group_crashes_ddp_construction():
    """PyTorch 2.13 (CPU): with the group wrapped for DETAIL, DDP(...) dies with SIGSEGV."""
    assert in_fresh_process(hangs.exit_code_of, hangs.ddp_with_detail_at_init) == -signal.SIGSEGV


def test_unknown_debug_level_is_refused():
    with pytest.raises(ValueError, match="level must be OFF, INFO or DETAIL"):
        hangs.run_skipped_all_reduce("VERBOSE")

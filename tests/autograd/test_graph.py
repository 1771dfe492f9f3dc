import pytest
import torch

from snippets.autograd.graph import graph_of, tiny_network_loss


def labels_of(nodes):
    return sorted(nodes.values())


def test_walking_next_functions_reaches_one_accumulate_grad_per_leaf():
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    assert sorted(label for label in nodes.values() if label.startswith("AccumulateGrad")) == [
        "AccumulateGrad[W]", "AccumulateGrad[b]", "AccumulateGrad[v]"]
    assert next(iter(nodes)) is loss.grad_fn  # the walk starts at the root
    # every node but the root is reached through some edge, and AccumulateGrad nodes end the walk
    assert {b for _, b in edges} == set(nodes) - {loss.grad_fn}
    assert not [a for a, _ in edges if nodes[a].startswith("AccumulateGrad")]


def test_inputs_that_need_no_gradient_appear_as_none():
    loss, leaves = tiny_network_loss()
    nodes, _ = graph_of(loss, leaves)
    mm = next(n for n, label in nodes.items() if label == "MmBackward0")
    assert mm.next_functions[0][0] is None  # `inputs` does not require grad
    assert nodes[mm.next_functions[1][0]] == "AccumulateGrad[W]"


def test_a_leaf_used_twice_has_two_incoming_edges_and_its_gradients_add_up():
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    into_w = [a for a, b in edges if nodes[b] == "AccumulateGrad[W]"]
    assert sorted(nodes[a] for a in into_w) == ["MmBackward0", "PowBackward0"]
    # a hook on each of the two nodes records the gradient it sends down the edge to W
    sent = {}
    for node in into_w:
        slot = next(i for i, (n, _) in enumerate(node.next_functions)
                    if n is not None and nodes[n] == "AccumulateGrad[W]")
        node.register_hook(lambda grad_inputs, _, node=node, slot=slot:
                           sent.__setitem__(nodes[node], grad_inputs[slot].clone()))
    loss.backward()
    assert sorted(sent) == ["MmBackward0", "PowBackward0"]
    assert torch.equal(leaves["W"].grad, sent["MmBackward0"] + sent["PowBackward0"])
    assert not torch.equal(sent["MmBackward0"], torch.zeros_like(sent["MmBackward0"]))
    assert not torch.equal(sent["PowBackward0"], torch.zeros_like(sent["PowBackward0"]))


def test_graph_of_a_small_expression():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    nodes, edges = graph_of((a * b).sum(), {"a": a, "b": b})
    assert list(nodes.values()) == ["SumBackward0", "MulBackward0", "AccumulateGrad[a]", "AccumulateGrad[b]"]
    assert len(edges) == 3


def test_graph_of_rejects_what_has_no_graph_with_a_one_line_error():
    with pytest.raises(TypeError, match=r"graph_of\(\) needs a torch.Tensor, got list"):
        graph_of([1.0, 2.0])
    leaf = torch.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="grad_fn=None") as info:
        graph_of(leaf)
    assert "\n" not in str(info.value)
    with torch.no_grad():
        untracked = leaf * 2
    with pytest.raises(ValueError, match="grad_fn=None"):
        graph_of(untracked)

"""Walk the graph that autograd recorded, from a tensor's grad_fn down its next_functions."""

# --8<-- [start:walk_graph]
import torch


def graph_of(output, leaves=None):
    """(nodes, edges) of the graph behind `output`.

    Found by walking grad_fn.next_functions from output.grad_fn.
    nodes maps each backward node to a label: its class name, plus
    the leaf's name for the AccumulateGrad node of a leaf listed in
    `leaves` ({name: tensor}). edges holds (node, next node) pairs,
    in the direction the gradient flows: from the output to leaves.
    """
    if not isinstance(output, torch.Tensor):
        raise TypeError("graph_of() needs a torch.Tensor, "
                        f"got {type(output).__name__}")
    if output.grad_fn is None:
        raise ValueError(
            "graph_of() needs the result of an operation on tensors "
            "that require grad; this tensor has grad_fn=None "
            "(a leaf, or computed without autograd)")
    names = {id(t): name for name, t in (leaves or {}).items()}
    nodes, edges, todo = {}, [], [output.grad_fn]
    while todo:
        node = todo.pop(0)
        if node in nodes:
            continue
        label = type(node).__name__
        leaf = getattr(node, "variable", None)  # AccumulateGrad only
        if leaf is not None and id(leaf) in names:
            label += f"[{names[id(leaf)]}]"
        nodes[node] = label
        for parent_input, _ in node.next_functions:
            if parent_input is not None:  # None: input needs no grad
                edges.append((node, parent_input))
                todo.append(parent_input)
    return nodes, edges
# --8<-- [end:walk_graph]


# needs: walk_graph
# --8<-- [start:tiny_network_graph]
import torch


def tiny_network_loss():
    """A two-layer regression loss plus weight decay on W.

    Returns the loss and its three leaves by name.
    """
    gen = torch.Generator().manual_seed(0)
    inputs = torch.randn(5, 3, generator=gen)  # data: no grad wanted
    target = torch.randn(5, generator=gen)
    W = torch.randn(3, 4, generator=gen, requires_grad=True)
    b = torch.zeros(4, requires_grad=True)
    v = torch.randn(4, generator=gen, requires_grad=True)
    hidden = torch.tanh(inputs @ W + b)
    loss = ((hidden @ v - target) ** 2).mean() + 0.01 * (W**2).sum()
    return loss, {"W": W, "b": b, "v": v}


if __name__ == "__main__":  # imported by the figure: print nothing then
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    for node, label in nodes.items():
        nxt = [nodes[b] for a, b in edges if a is node]
        print(f"{label:<18} -> {', '.join(nxt) or '(adds into .grad)'}")
# --8<-- [end:tiny_network_graph]

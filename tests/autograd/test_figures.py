from snippets.autograd.figures import layered_layout
from snippets.autograd.graph import graph_of, tiny_network_loss


def test_layout_places_every_node_of_the_walked_graph():
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    pos, routes = layered_layout(nodes, edges)
    assert set(pos) == set(nodes) and set(routes) == set(edges)
    assert pos[loss.grad_fn][1] == 0  # the root is the top row


def test_layout_draws_every_edge_downwards_one_row_per_step():
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    _, routes = layered_layout(nodes, edges)
    for route in routes.values():
        ys = [y for _, y in route]
        assert all(b == a - 1 for a, b in zip(ys, ys[1:], strict=False))


def test_layout_keeps_boxes_in_a_row_at_least_one_unit_apart():
    loss, leaves = tiny_network_loss()
    nodes, edges = graph_of(loss, leaves)
    pos, _ = layered_layout(nodes, edges)
    for y in {y for _, y in pos.values()}:
        xs = sorted(x for x, yy in pos.values() if yy == y)
        assert all(b - a >= 0.999 for a, b in zip(xs, xs[1:], strict=False))

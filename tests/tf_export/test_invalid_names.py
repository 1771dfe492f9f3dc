from snippets.tf_export import invalid_names


def test_clashing_export_leaves_the_first_owner_in_place():
    add = invalid_names.add
    assert invalid_names.registry == {"math.add": add, "compat.v1.math.add": add}


def test_rejected_definitions_are_never_bound():
    # The decorator raised before the assignment, so neither name exists.
    assert not hasattr(invalid_names, "plus")
    assert not hasattr(invalid_names, "mean")

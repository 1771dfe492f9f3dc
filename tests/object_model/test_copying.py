import copy


def test_shallow_copy_shares_the_inner_lists_deep_copy_does_not(run):
    ns, printed = run("copying", "shallow_vs_deep")
    assert ns["alias"] is ns["grid"]
    assert ns["shallow"] is not ns["grid"] and ns["shallow"][0] is ns["grid"][0] and ns["shallow"][0][0] == 1
    assert ns["deep"][0] is not ns["grid"][0] and ns["deep"] == [[0, 0], [0, 0]]
    assert "shallow[0] is grid[0]: True" in printed and "deep[0] is grid[0]: False" in printed
    assert ns["grid"][:][0] is ns["grid"][0]  # the comment's "like grid[:]": slicing is shallow too


def test_deepcopy_keeps_shared_references_and_cycles(run):
    ns, _ = run("copying", "deepcopy_keeps_sharing")
    assert ns["twin"][0] is ns["twin"][1] and ns["twin"][0] is not ns["row"]
    assert ns["clone"][0] is ns["clone"] and ns["clone"] is not ns["loop"]


def test_copying_an_immutable_returns_the_same_object():
    frozen = (1, "a", (2, 3))
    assert copy.copy(frozen) is frozen
    assert copy.deepcopy(frozen) is frozen
    holder = ([1],)
    assert copy.deepcopy(holder) is not holder  # a tuple holding a list is copied

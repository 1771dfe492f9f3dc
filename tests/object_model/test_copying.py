import copy

from snippets.object_model import copying


def test_shallow_copy_shares_the_inner_lists_deep_copy_does_not():
    grid = [[0, 0], [0, 0]]
    shallow, sliced, deep = copy.copy(grid), grid[:], copy.deepcopy(grid)
    grid[0][0] = 1
    assert shallow is not grid and shallow[0] is grid[0] and shallow[0][0] == 1
    assert sliced[0] is grid[0]
    assert deep[0] is not grid[0] and deep == [[0, 0], [0, 0]]
    assert copying.alias is copying.grid


def test_deepcopy_keeps_shared_references_and_cycles():
    assert copying.twin[0] is copying.twin[1] and copying.twin[0] is not copying.row
    assert copying.clone[0] is copying.clone and copying.clone is not copying.loop


def test_copying_an_immutable_returns_the_same_object():
    frozen = (1, "a", (2, 3))
    assert copy.copy(frozen) is frozen
    assert copy.deepcopy(frozen) is frozen
    holder = ([1],)
    assert copy.deepcopy(holder) is not holder  # a tuple holding a list is copied

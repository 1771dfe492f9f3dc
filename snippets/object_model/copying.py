"""Assignment copies nothing; copy.copy copies one level; copy.deepcopy copies all the way down."""

# --8<-- [start:shallow_vs_deep]
import copy

grid = [[0, 0], [0, 0]]
alias = grid                # no copy at all
shallow = copy.copy(grid)   # new outer list, same inner lists (like grid[:])
deep = copy.deepcopy(grid)  # new inner lists too

grid[0][0] = 1
print("alias  :", alias)
print("shallow:", shallow, "| shallow[0] is grid[0]:", shallow[0] is grid[0])
print("deep   :", deep, "| deep[0] is grid[0]:", deep[0] is grid[0])
# --8<-- [end:shallow_vs_deep]


# --8<-- [start:deepcopy_keeps_sharing]
import copy

row = [0]
pair = [row, row]  # one list referenced twice
twin = copy.deepcopy(pair)
print("copies share one row:", twin[0] is twin[1], "| a new row:", twin[0] is not row)

loop = []
loop.append(loop)  # a list that contains itself
clone = copy.deepcopy(loop)  # the memo dict stops the recursion
print("cycle kept:", clone[0] is clone, "| new object:", clone is not loop)

frozen = (1, "a", (2, 3))
print("copy returns the same tuple:", copy.copy(frozen) is frozen,
      "| deepcopy too:", copy.deepcopy(frozen) is frozen)
# --8<-- [end:deepcopy_keeps_sharing]

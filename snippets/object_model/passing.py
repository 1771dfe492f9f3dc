"""Argument passing is call by sharing: the parameter is bound to the caller's object."""

# --8<-- [start:call_by_sharing]
def id_inside(param):
    return id(param)


for arg in [int("1000"), 2.5, "text", (1, 2), [1, 2], {"k": 1}]:
    # arg stays alive during the call, so comparing the two ids is meaningful
    same = id_inside(arg) == id(arg)
    print(f"{type(arg).__name__:5} id(param) == id(arg): {same}")
# --8<-- [end:call_by_sharing]


# --8<-- [start:rebind_vs_mutate]
def rebind(items):
    items = [0]  # the local name now refers to a new list ...
    items.append(99)  # ... so this changes the new list only


def mutate(items):
    items.append(0)  # the caller's list itself changes


def increment(n):
    n += 1  # an int cannot change, so += can only rebind the local name
    return n


data = [1]
rebind(data)
print("after rebind :", data)
mutate(data)
print("after mutate :", data)

count = 1
print("increment(count) =", increment(count), "| count =", count)
# --8<-- [end:rebind_vs_mutate]


# --8<-- [start:output_parameters]
def min_max(values):
    # Python has no output parameters: return several values as a tuple
    return min(values), max(values)


low, high = min_max([3, 1, 4, 1, 5])
print("low, high =", low, high)
# --8<-- [end:output_parameters]

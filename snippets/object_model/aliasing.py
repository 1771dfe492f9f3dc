"""Three consequences of "names are bound to objects": repeated rows, every binding form, and nan."""

# --8<-- [start:repeated_rows]
grid = [[0] * 3] * 2  # the outer * repeats a reference to ONE row
grid[0][0] = 1
print("[[0] * 3] * 2          :", grid, "| rows are one object:", grid[0] is grid[1])

grid = [[0] * 3 for _ in range(2)]  # the comprehension builds a new row each time
grid[0][0] = 1
print("[[0] * 3 for _ in ...] :", grid, "| rows are one object:", grid[0] is grid[1])
# The inner [0] * 3 repeats references to one 0 too; harmless, since an int cannot change.
# --8<-- [end:repeated_rows]


# --8<-- [start:binding_forms]
def every_binding(items):  # a parameter: the call binds it
    total = 0  # an assignment statement
    for item in items:  # a for target
        total += item  # an augmented assignment
    import math  # import binds the module to a name
    from contextlib import nullcontext  # so does from ... import
    with nullcontext(total) as value:  # with ... as binds what __enter__ returns
        total = value
    def helper():  # def binds the function to a name
        return None
    class Local:  # so does class
        pass
    try:
        total / 0
    except ZeroDivisionError as err:  # except ... as binds, and unbinds at the end
        caught = type(err).__name__
    if (count := len(items)) > 1:  # an assignment expression
        pass
    return caught, count, math.floor(total / count)


# The compiler lists every name bound in the body as a local variable of the function:
print(every_binding.__code__.co_varnames)
print(every_binding([1, 2, 3]))


import math


def area(r):
    result = math.pi * r * r  # noqa: F823 - math is local here: the import below binds it
    import math  # noqa: F401
    return result


try:
    area(1.0)
except UnboundLocalError as err:
    print("UnboundLocalError:", err)
# --8<-- [end:binding_forms]


# --8<-- [start:nan_in_containers]
nan = float("nan")
print("nan == nan        :", nan == nan)  # nan equals nothing, itself included
print("nan in [nan]      :", nan in [nan])  # containers try `is` before `==`
print("[nan] == [nan]    :", [nan] == [nan])  # the same shortcut, element by element
other = float("nan")  # another nan object
print("other in [nan]    :", other in [nan])
print("{nan: 1}[nan]     :", {nan: 1}[nan])  # a dict finds the same object
print("len({nan, other}) :", len({nan, other}))  # two objects, never equal: two keys
# --8<-- [end:nan_in_containers]

# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Python objects: identity, type and value, and how arguments are passed
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. It needs nothing but Python's standard library.

# %% [markdown]
# ## The question
#
# ## Identity, type and value

# %%
a = 8
print("type(a) :", type(a).__name__)  # the type of the object a refers to
print("value   :", a)
# id(): unique among live objects (in CPython, the address)
print("id(a) is an int:", isinstance(id(a), int))

b = a  # no new object: a second name for the same one
print("b is a  :", b is a, "| id(b) == id(a):", id(b) == id(a))

# %% [markdown]
# ## Names are bound to objects

# %%
first = [1, 2, 3]
second = first  # binds a second name to the same list
second.append(4)  # changes the one list, seen through both names
print("first   :", first)

first = ["new"]  # rebinds first; second still refers to the old list
print("second  :", second, "| first is second:", first is second)

# %% [markdown]
# ## The type belongs to the object, not the name

# %%
x = 8
print(type(x).__name__)
x = "eight"  # the name takes whatever object it is bound to
print(type(x).__name__)

# an annotation is a hint for tools; nothing checks it at run time
y: int = "not an int"
print(type(y).__name__)

# %% [markdown]
# ## Mutable and immutable

# %%
nums = [1, 2]
old = nums
nums.append(3)  # a list changes in place: same object, new value
print("list:", nums, "| same object:", nums is old)

n = int("1000")
old = n
n += 1  # an int cannot change: n is rebound to a new object
print("int :", n, "| same object:", n is old, "| old object still", old)

s = "py"
upper = s.upper()  # str methods return new strings; s is untouched
print("str :", s, upper, "| same object:", s is upper)

# %% [markdown]
# ### += on a list and on a tuple

# %%
items = [1, 2]
alias = items
items += [3]  # list.__iadd__ extends the list in place
print("list :", items, alias, "| items is alias:", items is alias)

point = (1, 2)
alias = point
point += (3,)  # tuple has no __iadd__, so this is point = point + (3,)
print("tuple:", point, alias, "| point is alias:", point is alias)

# %%
t = ([1, 2], "x")
try:
    t[0] += [3]  # 1) t[0].__iadd__([3]) extends the list  2) t[0] = ... fails
except TypeError as err:
    print("TypeError:", err)
print("t is now:", t)  # the list was extended all the same


# %% [markdown]
# ## Argument passing: call by sharing

# %%
def id_inside(param):
    return id(param)


for arg in [int("1000"), 2.5, "text", (1, 2), [1, 2], {"k": 1}]:
    # arg stays alive during the call, so comparing the two ids is meaningful
    same = id_inside(arg) == id(arg)
    print(f"{type(arg).__name__:5} id(param) == id(arg): {same}")

# %% [markdown]
# ### Where the names point, before and after a call

# %%
import sys


def modify(n, items):
    n = n + 1  # rebinds the local name n to a new int
    items.append(4)  # changes the list that the caller's name refers to as well


def caller():
    count = int("1000")
    data = [1, 2, 3]
    modify(count, data)
    return count, data


def record_bindings():
    """[(moment, [(function, name, label, type, value)])], taken by sys.settrace."""
    shots, keep, labels = [], [], {}

    def take(moment, frames):
        rows = []
        for frame in frames:
            for name, obj in frame.f_locals.items():
                keep.append(obj)  # kept alive, so no id is reused meanwhile
                label = labels.setdefault(id(obj), f"obj{len(labels) + 1}")
                kind = type(obj).__name__
                rows.append((frame.f_code.co_name, name, label, kind, repr(obj)))
        shots.append((moment, rows))

    def tracer(frame, event, arg):
        if frame.f_code is modify.__code__:
            if event == "call":
                take("before the call", [frame.f_back])
                take("on entering modify()", [frame.f_back, frame])
            elif event == "return":
                take("as modify() returns", [frame.f_back, frame])
            return tracer
        if frame.f_code is caller.__code__:
            if event == "return":
                take("after the call", [frame])
            return tracer
        return None

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        caller()
    finally:
        sys.settrace(old)
    return shots


if __name__ == "__main__":
    for moment, rows in record_bindings():
        print(moment)
        for function in dict.fromkeys(row[0] for row in rows):
            names = "   ".join(f"{name} -> {label} ({kind} {value})"
                               for func, name, label, kind, value in rows
                               if func == function)
            print(f"  {function + '():':10}{names}")


# %% [markdown]
# ### Rebinding versus mutating

# %%
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


# %%
def min_max(values):
    # Python has no output parameters: return several values as a tuple
    return min(values), max(values)


low, high = min_max([3, 1, 4, 1, 5])
print("low, high =", low, high)


# %% [markdown]
# ## Mutable default arguments

# %%
def add_tag(tag, tags=[]):  # noqa: B006 - this [] is created once, when `def` runs
    tags.append(tag)
    return tags


print(add_tag("a"))
print(add_tag("b"))  # the same list as in the first call
print("stored default:", add_tag.__defaults__)


# %%
def add_tag_fresh(tag, tags=None):
    if tags is None:  # a new list on every call that does not pass one
        tags = []
    tags.append(tag)
    return tags


print(add_tag_fresh("a"))
print(add_tag_fresh("b"))
print("stored default:", add_tag_fresh.__defaults__)

# %% [markdown]
# ## Shallow and deep copy

# %%
import copy

grid = [[0, 0], [0, 0]]
alias = grid                # no copy at all
shallow = copy.copy(grid)   # new outer list, same inner lists (like grid[:])
deep = copy.deepcopy(grid)  # new inner lists too

grid[0][0] = 1
print("alias  :", alias)
print("shallow:", shallow, "| shallow[0] is grid[0]:", shallow[0] is grid[0])
print("deep   :", deep, "| deep[0] is grid[0]:", deep[0] is grid[0])

# %%
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

# %% [markdown]
# ## Pitfall: comparing values with is

# %%
import sys

big_a, big_b = int("1000"), int("1000")  # built at run time
print("1000: ==", big_a == big_b, "| is", big_a is big_b)

small_a, small_b = int("100"), int("100")
print(" 100: ==", small_a == small_b, "| is", small_a is small_b)  # CPython caches -5..256

literal = "python"
joined = "".join(["py", "thon"])
print("str : ==", joined == literal, "| is", joined is literal,
      "| after sys.intern:", sys.intern(joined) is sys.intern(literal))

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    compile("x is 1000", "<example>", "eval")  # the compiler itself warns
print(caught[0].category.__name__ + ":", caught[0].message)


# %%
def describe(value=None):
    # `is` is right for singletons such as None: there is only one None object
    return "nothing given" if value is None else f"got {value!r}"


print(describe(), "|", describe(0), "|", describe([]))

# %% [markdown]
# ## Three consequences of binding

# %%
grid = [[0] * 3] * 2  # the outer * repeats a reference to ONE row
grid[0][0] = 1
print("[[0] * 3] * 2          :", grid, "| rows are one object:", grid[0] is grid[1])

grid = [[0] * 3 for _ in range(2)]  # the comprehension builds a new row each time
grid[0][0] = 1
print("[[0] * 3 for _ in ...] :", grid, "| rows are one object:", grid[0] is grid[1])
# The inner [0] * 3 repeats references to one 0 too; harmless, since an int cannot change.

# %%
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

# %%
nan = float("nan")
print("nan == nan        :", nan == nan)  # nan equals nothing, itself included
print("nan in [nan]      :", nan in [nan])  # containers try `is` before `==`
print("[nan] == [nan]    :", [nan] == [nan])  # the same shortcut, element by element
other = float("nan")  # another nan object
print("other in [nan]    :", other in [nan])
print("{nan: 1}[nan]     :", {nan: 1}[nan])  # a dict finds the same object
print("len({nan, other}) :", len({nan, other}))  # two objects, never equal: two keys

"""Mutable and immutable objects, and what += does to each."""

# --8<-- [start:mutable_vs_immutable]
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
# --8<-- [end:mutable_vs_immutable]


# --8<-- [start:plus_equals]
items = [1, 2]
alias = items
items += [3]  # list.__iadd__ extends the list in place
print("list :", items, alias, "| items is alias:", items is alias)

point = (1, 2)
alias = point
point += (3,)  # tuple has no __iadd__, so this is point = point + (3,)
print("tuple:", point, alias, "| point is alias:", point is alias)
# --8<-- [end:plus_equals]


# --8<-- [start:tuple_holding_list]
t = ([1, 2], "x")
try:
    t[0] += [3]  # 1) t[0].__iadd__([3]) extends the list  2) t[0] = ... fails
except TypeError as err:
    print("TypeError:", err)
print("t is now:", t)  # the list was extended all the same
# --8<-- [end:tuple_holding_list]


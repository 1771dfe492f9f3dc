"""Every object has an identity, a type and a value; names are bound to objects."""

# --8<-- [start:identity_type_value]
a = 8
print("type(a) :", type(a).__name__)  # the type of the object a refers to
print("value   :", a)
# id(): unique among live objects (in CPython, the address)
print("id(a) is an int:", isinstance(id(a), int))

b = a  # no new object: a second name for the same one
print("b is a  :", b is a, "| id(b) == id(a):", id(b) == id(a))
# --8<-- [end:identity_type_value]


# --8<-- [start:names_are_bound]
first = [1, 2, 3]
second = first  # binds a second name to the same list
second.append(4)  # changes the one list, seen through both names
print("first   :", first)

first = ["new"]  # rebinds first; second still refers to the old list
print("second  :", second, "| first is second:", first is second)
# --8<-- [end:names_are_bound]


# --8<-- [start:type_belongs_to_object]
x = 8
print(type(x).__name__)
x = "eight"  # the name takes whatever object it is bound to
print(type(x).__name__)

# an annotation is a hint for tools; nothing checks it at run time
y: int = "not an int"
print(type(y).__name__)
# --8<-- [end:type_belongs_to_object]

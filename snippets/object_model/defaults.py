"""A default value is evaluated once, when `def` runs: a mutable default is shared by every call."""

# --8<-- [start:mutable_default]
def add_tag(tag, tags=[]):  # noqa: B006 - this [] is created once, when `def` runs
    tags.append(tag)
    return tags


print(add_tag("a"))
print(add_tag("b"))  # the same list as in the first call
print("stored default:", add_tag.__defaults__)
# --8<-- [end:mutable_default]


# --8<-- [start:none_default]
def add_tag_fresh(tag, tags=None):
    if tags is None:  # a new list on every call that does not pass one
        tags = []
    tags.append(tag)
    return tags


print(add_tag_fresh("a"))
print(add_tag_fresh("b"))
print("stored default:", add_tag_fresh.__defaults__)
# --8<-- [end:none_default]

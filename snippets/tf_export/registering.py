"""tf_export = partial(api_export, ...): the decorator records public paths and returns the same function."""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.tf_export.api_export import api_export

# needs: api_export.py:api_export_class
# --8<-- [start:tf_export_registers_paths]
import functools

# TensorFlow keeps one module-level dict; ours is passed in, so examples start clean.
registry = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=registry)
print("tf_export:", type(tf_export).__name__, "of", tf_export.func.__name__)
print("fixed keywords:", sorted(tf_export.keywords))


def add(x, y):
    return x + y


# What @tf_export("math.add", "add") above `def add` would do:
decorated = tf_export("math.add", "add")(add)
print("returns the same object:", decorated is add)
print("__name__ unchanged:", add.__name__, "| still works:", add(2, 3))
print("_tf_api_names:   ", add._tf_api_names)
print("_tf_api_names_v1:", add._tf_api_names_v1)
for path, symbol in sorted(registry.items()):
    print(f"registry  {path:<18} -> {symbol.__name__}")
# --8<-- [end:tf_export_registers_paths]

"""A toy library that exports its functions the way TensorFlow's modules do.

The names imitate TensorFlow's public paths; the functions are toys. The library is a
module of its own, named mini_tf, so that the files the generator writes can import from it.
"""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.tf_export.api_export import api_export

# needs: api_export.py:api_export_class
# --8<-- [start:mini_library]
import types

# The source of the library module mini_tf.
SOURCE = '''
import functools

REGISTRY = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=REGISTRY)


@tf_export("math.add", "add")
def add(x, y):
    return x + y


@tf_export("math.reduce_sum", v1=["math.reduce_sum", "reduce_sum"])
def reduce_sum(values):
    return sum(values)


@tf_export("nn.relu")
def relu(x):
    return max(x, 0)


@tf_export(v1=["app.run"])
def run(main, argv=None):
    return main(argv or [])
'''

# The heart of what `import mini_tf` does with a file mini_tf.py: a new module
# object runs the file's source in its namespace.
mini_tf = types.ModuleType("mini_tf")
mini_tf.api_export = api_export  # what `from ... import api_export` would give it
exec(SOURCE, vars(mini_tf))  # runs every decorator: the registry is filled

if __name__ == "__main__":
    for path, symbol in sorted(mini_tf.REGISTRY.items()):
        print(f"{path:<26} -> {symbol.__module__}.{symbol.__name__}")
# --8<-- [end:mini_library]

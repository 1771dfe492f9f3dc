"""A toy library that exports its functions the way TensorFlow's modules do.

The names imitate TensorFlow's public paths; the functions are toys.
"""

# --8<-- [start:mini_library]
import functools

from snippets.tf_export.api_export import api_export

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


if __name__ == "__main__":  # the decorators have already run: importing is enough
    for path, symbol in sorted(REGISTRY.items()):
        print(f"{path:<26} -> {symbol.__name__}")
# --8<-- [end:mini_library]

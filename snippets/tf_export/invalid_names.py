"""Bad public names and clashing exports fail with one-line errors."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.tf_export.api_export import InvalidSymbolNameError, SymbolExposedTwiceError, api_export

# needs: api_export.py:api_export_class
# --8<-- [start:invalid_names]
import functools

registry = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=registry)

for bad in ["math..add", "1abc", "math.lambda", "compat.v1.add"]:
    try:
        tf_export(bad)
    except InvalidSymbolNameError as err:
        print("InvalidSymbolNameError:", err)

try:

    @tf_export  # no parentheses: the function arrives as a "name"
    def mean(values):
        return sum(values) / len(values)

except TypeError as err:
    print("TypeError:", err)


@tf_export("math.add")
def add(x, y):
    return x + y


try:

    @tf_export("math.add")  # a second function wants the same path
    def plus(x, y):
        return x + y

except SymbolExposedTwiceError as err:
    print("SymbolExposedTwiceError:", err)
print("kept:", {path: f.__name__ for path, f in registry.items()})
# --8<-- [end:invalid_names]

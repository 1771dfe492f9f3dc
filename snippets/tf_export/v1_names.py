"""v1=[...]: names for the TF1 API, which the generator puts under compat.v1."""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.tf_export.api_export import api_export

# needs: api_export.py:api_export_class
# --8<-- [start:v1_names]
import functools

registry = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=registry)


@tf_export(v1=["app.run"])  # like TensorFlow's app.run: TF1 only
def run(main=None, argv=None):
    return main(argv or [])


@tf_export("nn.gelu", v1=[])  # new in TF2: no TF1 name at all
def gelu(x):
    return x


# TF1 also had a second path for it:
@tf_export("math.reduce_sum", v1=["math.reduce_sum", "reduce_sum"])
def reduce_sum(values):
    return sum(values)


# A hand-exported name under compat, like TensorFlow's tf.compat.as_bytes.
# Only compat.v1 and compat.v2 are generated; this is an ordinary v2 name,
# and its default v1 name puts it at compat.v1.compat.as_bytes as well.
@tf_export("compat.as_bytes")
def as_bytes(text):
    return text.encode("utf-8")


for f in (run, gelu, reduce_sum, as_bytes):
    v2, v1 = f._tf_api_names, f._tf_api_names_v1
    print(f"{f.__name__:<10} v2={v2!s:<22} v1={v1}")
for path in sorted(registry):
    print(f"{path:<28} -> {registry[path].__name__}")
# --8<-- [end:v1_names]

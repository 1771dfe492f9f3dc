"""Build time and import time: the generator turns mini_tf's registry into a public API."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.tf_export.generator import build_namespace, write_package
from snippets.tf_export.mini_tf import mini_tf

# needs: mini_tf.py:mini_library, generator.py:api_tree_builder
# --8<-- [start:build_tf_namespace]
tf = build_namespace(mini_tf.REGISTRY)
print("tf.math.add(2, 3) =", tf.math.add(2, 3))
print("tf.add is tf.math.add is mini_tf.add:", tf.add is tf.math.add is mini_tf.add)
print("tf.compat.v1.reduce_sum([1, 2, 3]) =", tf.compat.v1.reduce_sum([1, 2, 3]))
print("tf.compat.v1.app.run is mini_tf.run:", tf.compat.v1.app.run is mini_tf.run)
print("tf.app exists:", hasattr(tf, "app"))
print("tf.reduce_sum exists:", hasattr(tf, "reduce_sum"))
print("tf.compat.v1 also has nn.relu:", tf.compat.v1.nn.relu(-4))
# --8<-- [end:build_tf_namespace]


# needs: mini_tf.py:mini_library, generator.py:init_file_writer
# --8<-- [start:generated_files]
import importlib
import sys
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as build_dir:
    for relative in write_package(mini_tf.REGISTRY, build_dir, package="minitf"):
        print("wrote", relative)
    compat_v1 = Path(build_dir, "minitf", "compat", "v1", "__init__.py")
    print(compat_v1.read_text(encoding="utf-8"))
    sys.path.insert(0, build_dir)
    # The generated files import from mini_tf by name. There is no mini_tf.py
    # to find, so the module goes where `import` looks first: sys.modules.
    sys.modules["mini_tf"] = mini_tf
    try:
        minitf = importlib.import_module("minitf")  # "import tensorflow as tf"
        print("minitf.math.add is mini_tf.add:", minitf.math.add is mini_tf.add)
        print("minitf.compat.v1.app.run(len, ['x', 'y']) =",
              minitf.compat.v1.app.run(len, ["x", "y"]))
    finally:  # leave the interpreter as we found it
        sys.path.remove(build_dir)
        for name in [m for m in sys.modules if m.split(".")[0] in ("minitf", "mini_tf")]:
            del sys.modules[name]
# --8<-- [end:generated_files]

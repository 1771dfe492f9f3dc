"""Golden API files in miniature: the public API written out as text, checked by a test."""

from pathlib import Path

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.tf_export.generator import SUBMODULE, api_tree
from snippets.tf_export.mini_tf import mini_tf

# The golden files of mini_tf's API that this repository commits and its tests check.
COMMITTED = Path(__file__).resolve().parent / "golden"

# needs: generator.py:api_tree_builder
# --8<-- [start:golden_files]
import inspect
from pathlib import Path


class ApiChangedError(AssertionError):
    """The public API differs from the golden files."""


def golden_files(registry, package="tf"):
    """{file name: text}: one file per public module, one line per member.

    A function is written with its signature. Where it is defined (its
    module, its file) is not written: that is not part of the API.
    """
    files = {}
    for path, entries in api_tree(registry).items():
        lines = []
        for name, value in sorted(entries.items()):
            if value is SUBMODULE:
                lines.append(f"module {name}")
            else:
                lines.append(f"function {name}{inspect.signature(value)}")
        module = f"{package}.{path}" if path else package
        files[f"{module}.golden"] = "\n".join(lines) + "\n"
    return files


def api_differences(golden, current):
    """What was removed, added or changed, file by file and line by line."""
    differences = []
    for name in sorted(golden.keys() | current.keys()):
        if name not in current:
            differences.append(f"removed module file {name}")
        elif name not in golden:
            differences.append(f"new module file {name}")
        else:
            old = set(golden[name].splitlines())
            new = set(current[name].splitlines())
            differences += [f"{name}: - {line}" for line in sorted(old - new)]
            differences += [f"{name}: + {line}" for line in sorted(new - old)]
    return differences


def check_api(registry, golden_dir, update=False):
    """The API test: fail on any difference unless update=True, which
    rewrites the golden files instead. Returns the differences."""
    golden_dir = Path(golden_dir)
    if not golden_dir.is_dir():
        raise FileNotFoundError(f"no golden folder {str(golden_dir)!r}"
                                " (write it first with update=True)")
    golden = {p.name: p.read_text(encoding="utf-8")
              for p in golden_dir.glob("*.golden")}
    current = golden_files(registry)
    differences = api_differences(golden, current)
    if differences and not update:
        raise ApiChangedError(
            f"{len(differences)} differences between the API and its golden"
            " files; if they are intended, run with update=True and commit"
            " the files:\n  " + "\n  ".join(differences))
    if update:
        for name in golden.keys() - current.keys():
            (golden_dir / name).unlink()
        for name, text in current.items():
            (golden_dir / name).write_text(text, encoding="utf-8")
    return differences
# --8<-- [end:golden_files]


# needs: mini_tf.py:mini_library, golden_files
# --8<-- [start:golden_check]
import tempfile

with tempfile.TemporaryDirectory() as golden_dir:
    check_api(mini_tf.REGISTRY, golden_dir, update=True)  # the committed files
    print(*sorted(p.name for p in Path(golden_dir).iterdir()))
    print("tf.math.golden:")
    print(Path(golden_dir, "tf.math.golden").read_text(encoding="utf-8"))

    # A refactor: add moves to another module. Same public names and signature.
    def add(x, y):
        return x + y

    moved = {path: add if f is mini_tf.add else f
             for path, f in mini_tf.REGISTRY.items()}
    print(f"add moved to module {add.__module__}; differences:",
          check_api(moved, golden_dir))

    # An API change: relu gains a parameter, and reduce_sum loses its v1 alias.
    def relu(x, alpha=0.0):
        return max(x, alpha * x)

    changed = {path: relu if f is mini_tf.relu else f
               for path, f in mini_tf.REGISTRY.items()
               if path != "compat.v1.reduce_sum"}
    try:
        check_api(changed, golden_dir)
    except ApiChangedError as error:
        print(error)
# --8<-- [end:golden_check]

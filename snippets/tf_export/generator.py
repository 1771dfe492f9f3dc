"""A small API generator: turns the export registry into public modules (tf, tf.math, tf.compat.v1, ...)."""

# On the page this comes from the earlier block that `# needs:` names.
from snippets.tf_export.api_export import InvalidSymbolNameError

# needs: api_export.py:api_export_class
# --8<-- [start:api_tree_builder]
import types

SUBMODULE = object()  # marks "this attribute is a generated submodule"


class ApiConflictError(ValueError):
    """One public path is asked to be both a module and a symbol."""


def api_tree(registry):
    """{module path: {attribute: symbol or SUBMODULE}}; "" is the package."""
    tree = {"": {}}
    for path in sorted(registry):  # sorted: "math" comes before "math.add"
        parts = path.split(".")
        if not all(part.isidentifier() for part in parts):
            raise InvalidSymbolNameError(
                f"registry path {path!r} is not a dotted path of identifiers"
            )
        for depth in range(1, len(parts)):  # make sure every parent module exists
            parent, name = ".".join(parts[: depth - 1]), parts[depth - 1]
            if tree[parent].get(name, SUBMODULE) is not SUBMODULE:
                raise ApiConflictError(
                    f"{'.'.join(parts[:depth])!r} is exported as a symbol, "
                    f"so {path!r} cannot live under it"
                )
            tree[parent][name] = SUBMODULE
            tree.setdefault(".".join(parts[:depth]), {})
        tree[".".join(parts[:-1])][parts[-1]] = registry[path]
    return tree


def build_namespace(registry, package="tf"):
    """Build the public API in memory as a tree of module objects."""
    tree = api_tree(registry)
    modules = {
        path: types.ModuleType(f"{package}.{path}" if path else package)
        for path in tree
    }
    for path, entries in tree.items():
        for name, value in entries.items():
            child = f"{path}.{name}" if path else name
            value = modules[child] if value is SUBMODULE else value
            setattr(modules[path], name, value)
    return modules[""]
# --8<-- [end:api_tree_builder]


# needs: api_tree_builder
# --8<-- [start:init_file_writer]
from pathlib import Path


def init_files(registry, package="tf"):
    """{relative path: text} of the __init__.py files exposing the registry."""
    files = {}
    for path, entries in sorted(api_tree(registry).items()):
        lines = ['"""Generated from the export registry. Do not edit."""']
        for name, value in sorted(entries.items()):
            if value is SUBMODULE:
                lines.append(f"from . import {name}")
            elif value.__name__ == name:
                lines.append(f"from {value.__module__} import {name}")
            else:
                lines.append(
                    f"from {value.__module__} import {value.__name__} as {name}"
                )
        folder = "/".join([package, *path.split(".")]) if path else package
        files[f"{folder}/__init__.py"] = "\n".join(lines) + "\n"
    return files


def write_package(registry, directory, package="tf"):
    """Write the generated package under directory; return the files written."""
    written = []
    for relative, text in init_files(registry, package).items():
        target = Path(directory) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(relative)
    return written
# --8<-- [end:init_file_writer]

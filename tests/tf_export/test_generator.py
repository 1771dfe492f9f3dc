import importlib
import sys
import types

import pytest

from snippets.tf_export.api_export import InvalidSymbolNameError
from snippets.tf_export.generator import (
    SUBMODULE,
    ApiConflictError,
    api_tree,
    build_namespace,
    init_files,
    write_package,
)
from snippets.tf_export.mini_tf import mini_tf


def test_tree_has_a_module_for_every_prefix():
    tree = api_tree(mini_tf.REGISTRY)
    assert sorted(tree) == ["", "compat", "compat.v1", "compat.v1.app", "compat.v1.math",
                            "compat.v1.nn", "math", "nn"]
    assert tree[""]["math"] is SUBMODULE and tree["math"]["add"] is mini_tf.add


def test_namespace_is_a_tree_of_modules_holding_the_same_objects():
    tf = build_namespace(mini_tf.REGISTRY)
    assert isinstance(tf, types.ModuleType) and isinstance(tf.compat.v1, types.ModuleType)
    assert tf.compat.v1.__name__ == "tf.compat.v1"
    assert tf.math.add is tf.add is mini_tf.add
    assert tf.compat.v1.app.run is mini_tf.run
    assert not hasattr(tf, "app")


def test_hand_exported_compat_name_sits_next_to_the_generated_compat_v1():
    from snippets.tf_export import v1_names

    tf = build_namespace(v1_names.registry)
    assert tf.compat.as_bytes is v1_names.as_bytes
    assert tf.compat.v1.compat.as_bytes is v1_names.as_bytes
    assert tf.compat.v1.app.run is v1_names.run
    files = init_files(v1_names.registry)
    assert files["tf/compat/__init__.py"].splitlines()[1:] == [
        "from snippets.tf_export.v1_names import as_bytes",
        "from . import v1",
    ]


def test_a_path_that_is_both_symbol_and_module_raises():
    with pytest.raises(ApiConflictError, match="'math' is exported as a symbol, so 'math.add'"):
        api_tree({"math": len, "math.add": abs})


def test_malformed_registry_path_raises():
    with pytest.raises(InvalidSymbolNameError, match="'math..add'"):
        api_tree({"math..add": abs})


def test_empty_registry_gives_an_empty_package():
    assert init_files({}) == {"tf/__init__.py": '"""Generated from the export registry. Do not edit."""\n'}


def test_init_file_aliases_a_symbol_exported_under_another_name():
    def impl():
        return 1

    text = init_files({"ops.one": impl})["tf/ops/__init__.py"]
    assert f"from {__name__} import impl as one" in text


def test_written_package_imports_and_exposes_the_same_objects(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "mini_tf", mini_tf)  # the generated files import from it
    written = write_package(mini_tf.REGISTRY, tmp_path, package="minitf_test")
    assert "minitf_test/compat/v1/app/__init__.py" in written
    sys.path.insert(0, str(tmp_path))
    try:
        pkg = importlib.import_module("minitf_test")
        assert pkg.math.reduce_sum is mini_tf.reduce_sum
        assert pkg.compat.v1.reduce_sum is mini_tf.reduce_sum
        assert pkg.compat.v1.app.run is mini_tf.run
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] == "minitf_test"]:
            del sys.modules[name]

"""Golden API files: a refactor leaves them alone, an API change fails the check."""

import pytest

from snippets.tf_export import golden
from snippets.tf_export.golden import ApiChangedError, api_differences, check_api, golden_files
from snippets.tf_export.mini_tf import mini_tf


def test_mini_tf_api_matches_the_golden_files_this_repository_commits():
    # The CI check in miniature: change mini_tf's public API and this test fails.
    assert check_api(mini_tf.REGISTRY, golden.COMMITTED) == []


def test_one_file_per_public_module_and_one_line_per_member():
    files = golden_files(mini_tf.REGISTRY)
    assert files["tf.golden"] == "function add(x, y)\nmodule compat\nmodule math\nmodule nn\n"
    assert files["tf.compat.v1.app.golden"] == "function run(main, argv=None)\n"
    assert "tf.app.golden" not in files  # app.run is v1 only


def test_moving_a_function_to_another_module_changes_no_golden_file():
    def add(x, y):
        return x + y

    moved = {path: add if f is mini_tf.add else f for path, f in mini_tf.REGISTRY.items()}
    assert add.__module__ != mini_tf.add.__module__
    assert golden_files(moved) == golden_files(mini_tf.REGISTRY)


def test_a_new_parameter_and_a_removed_alias_fail_the_check_naming_each_line(tmp_path):
    check_api(mini_tf.REGISTRY, tmp_path, update=True)

    def relu(x, alpha=0.0):
        return max(x, alpha * x)

    changed = {path: relu if f is mini_tf.relu else f for path, f in mini_tf.REGISTRY.items()
               if path != "compat.v1.reduce_sum"}
    with pytest.raises(ApiChangedError) as failure:
        check_api(changed, tmp_path)
    message = str(failure.value)
    assert message.startswith("5 differences")
    assert "tf.nn.golden: + function relu(x, alpha=0.0)" in message
    assert "tf.compat.v1.golden: - function reduce_sum(values)" in message


def test_update_rewrites_the_files_so_the_next_check_passes(tmp_path):
    check_api(mini_tf.REGISTRY, tmp_path, update=True)
    smaller = {p: f for p, f in mini_tf.REGISTRY.items() if not p.endswith("app.run")}
    assert check_api(smaller, tmp_path, update=True) == [
        "removed module file tf.compat.v1.app.golden", "tf.compat.v1.golden: - module app"]
    assert not (tmp_path / "tf.compat.v1.app.golden").exists()
    assert check_api(smaller, tmp_path) == []


def test_a_new_module_is_reported_as_a_new_file():
    current = golden_files(mini_tf.REGISTRY)
    older = {k: v for k, v in current.items() if k != "tf.nn.golden"}
    assert "new module file tf.nn.golden" in api_differences(older, current)


def test_a_missing_golden_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no golden folder .*nowhere"):
        check_api(mini_tf.REGISTRY, tmp_path / "nowhere")

from snippets.tf_export import registering
from snippets.tf_export.api_export import api_export


def test_tf_export_is_a_partial_of_api_export_fixing_api_name():
    assert registering.tf_export.func is api_export
    assert registering.tf_export.args == ()
    assert registering.tf_export.keywords["api_name"] == "tensorflow"


def test_decorating_returns_the_very_same_function():
    assert registering.decorated is registering.add
    assert registering.add.__name__ == "add"


def test_attributes_and_registry_hold_the_public_paths():
    add = registering.add
    assert add._tf_api_names == add._tf_api_names_v1 == ("math.add", "add")
    assert registering.registry == {
        "math.add": add, "add": add, "compat.v1.math.add": add, "compat.v1.add": add,
    }

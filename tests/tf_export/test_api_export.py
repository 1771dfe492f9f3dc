import functools

import pytest

from snippets.tf_export.api_export import (
    InvalidSymbolNameError,
    SymbolExposedTwiceError,
    api_export,
)


@pytest.fixture
def registry():
    return {}


@pytest.fixture
def tf_export(registry):
    return functools.partial(api_export, api_name="tensorflow", registry=registry)


def make_function(name="f"):
    def f():
        return name

    f.__name__ = f.__qualname__ = name
    return f


def test_call_records_names_and_returns_the_same_object(tf_export):
    f = make_function()
    assert tf_export("math.f", "f")(f) is f
    assert f._tf_api_names == ("math.f", "f")
    assert f.__name__ == "f" and f() == "f"


def test_v1_defaults_to_the_v2_names(tf_export):
    f = tf_export("math.f")(make_function())
    assert f._tf_api_names_v1 == ("math.f",)


def test_registry_holds_v2_paths_and_compat_v1_paths(tf_export, registry):
    f = tf_export("math.f", v1=["old_f"])(make_function())
    assert registry == {"math.f": f, "compat.v1.old_f": f}


def test_v1_only_export_has_no_v2_name(tf_export, registry):
    run = tf_export(v1=["app.run"])(make_function("run"))
    assert run._tf_api_names == ()
    assert list(registry) == ["compat.v1.app.run"]


def test_classes_can_be_exported(tf_export, registry):
    @tf_export("Box")
    class Box:
        pass

    assert registry["Box"] is Box and Box._tf_api_names == ("Box",)


def test_keras_api_uses_its_own_attributes(registry):
    keras_export = functools.partial(api_export, api_name="keras", registry=registry)
    f = keras_export("keras.f")(make_function())
    assert f._keras_api_names == ("keras.f",)
    assert not hasattr(f, "_tf_api_names")


BAD_NAMES = ["math..add", "1abc", "", ".add", "add.", "math.lambda", "a-b"]


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_invalid_public_names_raise(tf_export, bad):
    with pytest.raises(InvalidSymbolNameError, match="invalid public name"):
        tf_export(bad)
    with pytest.raises(InvalidSymbolNameError, match="invalid public name"):
        tf_export(v1=[bad])


# TensorFlow's generator makes tf.compat.v1 and tf.compat.v2 as whole subpackages.
GENERATED_NAMES = ["compat.v1", "compat.v1.add", "compat.v1.math.add", "compat.v2", "compat.v2.nn.relu"]


@pytest.mark.parametrize("name", GENERATED_NAMES)
def test_names_under_compat_v1_or_v2_raise(tf_export, registry, name):
    with pytest.raises(InvalidSymbolNameError, match="the generator makes compat.v1 and compat.v2"):
        tf_export(name)
    with pytest.raises(InvalidSymbolNameError, match="the generator makes compat.v1 and compat.v2"):
        tf_export("ok", v1=[name])
    assert registry == {}


# TensorFlow exports these by hand (tensorflow/python/util/compat.py, python/compat/compat.py);
# compat.v1x only starts with the characters "compat.v1".
HAND_EXPORTED_COMPAT = ["compat.as_bytes", "compat.path_to_str", "compat.forward_compatible", "compat.v1x"]


@pytest.mark.parametrize("name", HAND_EXPORTED_COMPAT)
def test_other_names_under_compat_are_ordinary_names(tf_export, registry, name):
    f = tf_export(name)(make_function())
    assert f._tf_api_names == f._tf_api_names_v1 == (name,)
    assert registry == {name: f, f"compat.v1.{name}": f}


def test_decorator_without_parentheses_raises_with_a_hint(tf_export):
    with pytest.raises(TypeError, match=r"@tf_export without parentheses\?"):
        tf_export(make_function())


def test_v1_given_as_a_string_raises(tf_export):
    with pytest.raises(TypeError, match=r"v1 takes a list of names such as \['app.run'\]"):
        tf_export(v1="app.run")


def test_unknown_api_name_raises(registry):
    with pytest.raises(ValueError, match="unknown api_name 'tensorflw'"):
        api_export("f", api_name="tensorflw", registry=registry)


@pytest.mark.parametrize("not_a_symbol", ["app.run", 3, len])
def test_decorating_something_that_takes_no_attributes_raises(tf_export, not_a_symbol):
    with pytest.raises(TypeError, match="decorates a function or class"):
        tf_export("x")(not_a_symbol)


def test_second_symbol_on_the_same_path_raises_and_changes_nothing(tf_export, registry):
    first = tf_export("math.add")(make_function("first"))
    second = make_function("second")
    with pytest.raises(SymbolExposedTwiceError, match="'math.add' already belongs to first"):
        tf_export("other", "math.add")(second)
    assert registry == {"math.add": first, "compat.v1.math.add": first}
    assert not hasattr(second, "_tf_api_names")


def test_same_symbol_may_be_exported_twice_on_the_same_path(tf_export, registry):
    f = make_function()
    tf_export("f")(f)
    assert tf_export("f")(f) is f
    assert registry == {"f": f, "compat.v1.f": f}

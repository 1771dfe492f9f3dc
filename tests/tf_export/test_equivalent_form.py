import pytest

from snippets.tf_export import equivalent_form
from snippets.tf_export.api_export import api_export


def test_partial_builds_a_new_api_export_on_every_call():
    a, b = equivalent_form.factory("x"), equivalent_form.factory("x")
    assert isinstance(a, api_export) and isinstance(b, api_export) and a is not b
    assert a._names == ("x",)


def test_direct_call_is_already_an_instance_with_no_names():
    assert isinstance(equivalent_form.instance, api_export)
    assert equivalent_form.instance._names == ()


def test_direct_instance_used_like_tf_export_raises():
    with pytest.raises(TypeError, match="got str 'app.run'"):
        equivalent_form.instance("app.run")


def test_failed_form_registered_nothing_and_defined_nothing():
    assert equivalent_form.registry == {}
    assert not hasattr(equivalent_form, "run")


def test_direct_instance_on_a_function_exports_it_under_no_name():
    def f():
        return 0

    assert equivalent_form.instance(f) is f
    assert f._tf_api_names == f._tf_api_names_v1 == ()
    assert equivalent_form.registry == {}

from snippets.tf_export import v1_names


def test_v1_only_name_is_absent_from_the_v2_list():
    assert v1_names.run._tf_api_names == ()
    assert v1_names.run._tf_api_names_v1 == ("app.run",)


def test_empty_v1_list_means_no_tf1_name():
    assert v1_names.gelu._tf_api_names_v1 == ()
    assert "compat.v1.nn.gelu" not in v1_names.registry


def test_registry_puts_every_v1_name_under_compat_v1():
    assert sorted(v1_names.registry) == [
        "compat.as_bytes", "compat.v1.app.run", "compat.v1.compat.as_bytes",
        "compat.v1.math.reduce_sum", "compat.v1.reduce_sum", "math.reduce_sum", "nn.gelu",
    ]


def test_a_hand_exported_compat_name_is_an_ordinary_v2_name():
    as_bytes = v1_names.as_bytes
    assert as_bytes._tf_api_names == as_bytes._tf_api_names_v1 == ("compat.as_bytes",)
    assert v1_names.registry["compat.as_bytes"] is as_bytes
    assert v1_names.registry["compat.v1.compat.as_bytes"] is as_bytes
    assert as_bytes("é") == b"\xc3\xa9"

from snippets.tf_export.mini_tf import mini_tf


def test_importing_the_library_is_enough_to_fill_the_registry():
    assert mini_tf.REGISTRY["math.add"] is mini_tf.add
    assert mini_tf.REGISTRY["compat.v1.app.run"] is mini_tf.run
    assert len(mini_tf.REGISTRY) == 10


def test_app_run_is_exported_only_for_v1():
    assert mini_tf.run._tf_api_names == ()
    assert not any(p.startswith("app") for p in mini_tf.REGISTRY)


def test_exported_functions_keep_working():
    assert mini_tf.add(2, 3) == 5
    assert mini_tf.reduce_sum([1, 2, 3]) == 6
    assert mini_tf.relu(-1) == 0
    assert mini_tf.run(len, ["a"]) == 1


def test_library_is_a_module_named_mini_tf_that_defines_its_functions():
    assert mini_tf.__name__ == "mini_tf"
    assert {f.__module__ for f in mini_tf.REGISTRY.values()} == {"mini_tf"}

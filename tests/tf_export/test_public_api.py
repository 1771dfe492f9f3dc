import sys

from snippets.tf_export import public_api
from snippets.tf_export.mini_tf import mini_tf


def test_generated_tf_exposes_v2_names_at_the_top():
    tf = public_api.tf
    assert tf.math.add(2, 3) == 5 and tf.add is mini_tf.add
    assert not hasattr(tf, "app") and not hasattr(tf, "reduce_sum")


def test_generated_tf_exposes_v1_names_under_compat_v1():
    assert public_api.tf.compat.v1.app.run is mini_tf.run
    assert public_api.tf.compat.v1.reduce_sum is mini_tf.reduce_sum


def test_written_package_example_cleans_up_after_itself():
    assert public_api.minitf.math.add is mini_tf.add
    assert "minitf" not in sys.modules and "mini_tf" not in sys.modules
    assert public_api.build_dir not in sys.path

from snippets.inheritance_mro import cooperative as co


def test_super_follows_the_instance_mro_and_runs_root_once():
    log = []
    co.Child(log)
    assert log == ["Child", "Left", "Right", "Root"]
    assert [c.__name__ for c in co.Child.__mro__] == ["Child", "Left", "Right", "Root", "object"]


def test_same_super_call_skips_right_on_a_plain_left():
    log = []
    co.Left(log)
    assert log == ["Left", "Root"]


def test_hard_wired_parent_calls_run_the_root_twice():
    log = []
    co.HardChild(log)
    assert log.count("HardRoot") == 2

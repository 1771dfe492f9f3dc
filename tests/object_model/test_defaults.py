def test_a_mutable_default_is_created_once_and_shared_by_calls(run):
    namespace, printed = run("defaults", "mutable_default")
    assert printed.splitlines() == ["['a']", "['a', 'b']", "stored default: (['a', 'b'],)"]
    add_tag = namespace["add_tag"]
    shared = add_tag.__defaults__[0]
    assert add_tag("c") is shared == ["a", "b", "c"]  # the article's function, a third call


def test_a_none_default_gives_a_new_list_per_call(run):
    namespace, printed = run("defaults", "none_default")
    assert printed.splitlines() == ["['a']", "['b']", "stored default: (None,)"]
    add_tag_fresh = namespace["add_tag_fresh"]
    assert add_tag_fresh("x") == ["x"] and add_tag_fresh("y") == ["y"]
    mine = ["m"]
    assert add_tag_fresh("z", mine) is mine

from snippets.object_model import defaults


def test_a_mutable_default_is_created_once_and_shared_by_calls():
    def add_tag(tag, tags=[]):  # noqa: B006 - the pitfall itself
        tags.append(tag)
        return tags

    first = add_tag("a")
    second = add_tag("b")
    assert first is second is add_tag.__defaults__[0]
    assert second == ["a", "b"]
    assert defaults.add_tag.__defaults__ == (["a", "b"],)  # the module's two calls


def test_a_none_default_gives_a_new_list_per_call():
    assert defaults.add_tag_fresh("x") == ["x"]
    assert defaults.add_tag_fresh("y") == ["y"]
    assert defaults.add_tag_fresh.__defaults__ == (None,)
    mine = ["m"]
    assert defaults.add_tag_fresh("z", mine) is mine

import pytest

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


def test_keyword_chain_gives_each_class_its_argument_and_the_root_refuses_leftovers():
    label = co.Label(color="red", name="title")
    assert (label.color, label.name) == ("red", "title")
    assert [c.__name__ for c in co.Label.__mro__] == ["Label", "Colored", "Named", "Shape", "object"]
    with pytest.raises(TypeError, match=r"Label: unexpected arguments \['size'\]"):
        co.Label(color="red", name="title", size=3)


def test_each_init_in_the_chain_runs_once_in_mro_order(monkeypatch):
    calls = []
    for cls in (co.Colored, co.Named, co.Shape):
        original = cls.__init__
        monkeypatch.setattr(cls, "__init__", lambda self, _o=original, _c=cls, **kw: (calls.append(_c.__name__),
                                                                                       _o(self, **kw))[1])
    co.Label(color="red", name="title")
    assert calls == ["Colored", "Named", "Shape"]


def test_without_a_root_a_stray_argument_reaches_object_and_its_message_names_no_class():
    with pytest.raises(TypeError, match=r"object\.__init__\(\) takes exactly one argument"):
        co.LooseLabel(color="red", name="title", size=3)
    assert co.LooseLabel(color="red", name="title").name == "title"  # without it, the chain works


def test_a_class_that_does_not_call_super_cuts_the_chain_and_an_adapter_mends_it():
    assert not hasattr(co.Broken("data.csv"), "name")  # Named.__init__ never ran
    with pytest.raises(TypeError, match="unexpected keyword argument 'name'"):
        co.Broken("data.csv", name="title")
    data = co.Dataset(path="data.csv", name="title")
    assert (data.legacy.path, data.name) == ("data.csv", "title")
    assert isinstance(data.legacy, co.Legacy) and not isinstance(data, co.Legacy)

from snippets.inheritance_mro import basics


def test_subclass_overrides_and_inherits():
    assert basics.rex.speak() == "Rex barks"
    assert basics.Dog.__bases__ == (basics.Animal,)
    assert basics.Dog.__mro__ == (basics.Dog, basics.Animal, object)


def test_a_class_may_have_several_direct_bases():
    assert basics.Amphibian.__bases__ == (basics.Walker, basics.Swimmer)
    frog = basics.Amphibian()
    # Left-most base wins for names both define; the other base's names are still found.
    assert (frog.move(), frog.breathe(), frog.climb()) == ("walk", "lungs", "climb")


def test_parent_init_runs_only_when_called_or_inherited():
    assert not hasattr(basics.Forgetful(), "ready")
    assert basics.Careful().ready is True
    assert basics.Inheriting().ready is True
    assert basics.Inheriting.__init__ is basics.Base.__init__


def test_class_a_and_class_a_object_are_the_same_in_python_3():
    class Plain:
        pass

    class Explicit(object):  # noqa: UP004 - the spelling the page compares
        pass

    assert Plain.__bases__ == Explicit.__bases__ == (object,)
    assert [c.__name__ for c in Plain.__mro__[1:]] == [c.__name__ for c in Explicit.__mro__[1:]] == ["object"]

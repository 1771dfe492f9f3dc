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

from snippets.object_model import basics


def test_a_second_name_is_the_same_object_not_a_copy(run):
    namespace, printed = run("basics", "identity_type_value")
    assert namespace["b"] is namespace["a"]
    assert "b is a  : True | id(b) == id(a): True" in printed
    assert "type(a) : int" in printed and "value   : 8" in printed


def test_mutating_through_one_name_shows_through_the_other_until_rebinding():
    assert basics.second == [1, 2, 3, 4]
    assert basics.first == ["new"]
    assert basics.first is not basics.second


def test_the_type_belongs_to_the_object_not_the_name():
    assert type(basics.x) is str  # rebound from an int
    assert type(basics.y) is str  # despite the annotation `y: int`
    assert basics.__annotations__["y"] is int

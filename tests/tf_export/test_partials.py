import pytest

from snippets.tf_export import partials


def test_partial_exposes_func_args_and_keywords():
    assert partials.double.func is partials.scale
    assert partials.double.args == ()
    assert partials.double.keywords == {"factor": 2}
    assert partials.ten_times.args == (10,)


def test_later_keyword_overrides_the_stored_one():
    assert partials.double(5, factor=3) == partials.scale(5, factor=3) == 15
    assert partials.double.keywords == {"factor": 2}  # the stored keyword is not changed


def test_stored_positionals_come_first():
    assert partials.ten_times(3) == partials.scale(10, 3) == 30


def test_positional_that_hits_a_stored_keyword_raises():
    with pytest.raises(TypeError, match="multiple values for argument 'factor'"):
        partials.double(5, 3)


def test_partial_of_a_class_builds_a_new_instance_per_call():
    assert partials.hall_ticket.func is partials.Ticket
    assert isinstance(partials.a, partials.Ticket) and isinstance(partials.b, partials.Ticket)
    assert partials.a is not partials.b
    assert (partials.a.seats, partials.a.venue) == (("A1", "A2"), "hall")
    assert (partials.b.seats, partials.b.venue) == (("B7",), "hall")
    again = partials.hall_ticket("A1", "A2")  # same arguments, still a new object
    assert again is not partials.a and again.seats == partials.a.seats


def test_calling_the_class_directly_builds_one_finished_instance():
    assert isinstance(partials.now, partials.Ticket)
    assert partials.now.seats == ()
    assert not callable(partials.now)

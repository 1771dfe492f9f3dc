import pytest

from snippets.pdb import figures
from snippets.pdb.pdb_demo import BATCHES


@pytest.fixture(scope="module")
def placed():
    return figures.positions()


def test_next_stays_in_average_and_runs_the_whole_add_call(placed):
    trace, start, stops = placed
    event, func, line, depth = trace[stops["n"]]
    assert (event, func, depth) == ("line", "average", trace[start][3])
    between = trace[start + 1 : stops["n"]]
    assert ("return", "add") in [e[:2] for e in between]  # add() ran without stopping


def test_step_stops_inside_the_called_function_one_frame_deeper(placed):
    trace, start, stops = placed
    assert trace[stops["s"]][1] == "add"
    assert trace[stops["s"]][3] == trace[start][3] + 1
    assert stops["s"] == start + 1  # the very next event


def test_return_runs_every_remaining_add_call_and_stops_as_average_returns(placed):
    trace, start, stops = placed
    assert trace[stops["r"]][:2] == ("return", "average")
    returns = [e for e in trace[start:stops["r"]] if e[:2] == ("return", "add")]
    assert len(returns) == len(BATCHES[0])


def test_continue_stops_at_the_same_breakpoint_on_the_next_pass(placed):
    trace, start, stops = placed
    assert trace[stops["c"]][:3] == trace[start][:3]
    assert figures.v_after("n") == BATCHES[0][0]  # still the first pass
    assert figures.v_after("c") == BATCHES[0][1]  # the second pass


def test_stop_after_rejects_other_commands():
    with pytest.raises(ValueError, match="must be one of"):
        figures.stop_after("j 3")


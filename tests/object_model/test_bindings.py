from snippets.object_model.bindings import caller, record_bindings


def by_name(rows):
    return {(func, name): (label, value) for func, name, label, _, value in rows}


def test_four_snapshots_in_order():
    assert [moment for moment, _ in record_bindings()] == [
        "before the call", "on entering modify()", "as modify() returns", "after the call"]


def test_on_entry_each_parameter_is_the_callers_object():
    shots = dict(record_bindings())
    rows = by_name(shots["on entering modify()"])
    assert rows["modify", "n"][0] == rows["caller", "count"][0]  # the int is shared, not copied
    assert rows["modify", "items"][0] == rows["caller", "data"][0]


def test_at_return_n_is_a_new_object_and_the_list_is_the_same_one_changed():
    shots = dict(record_bindings())
    entry, leaving = by_name(shots["on entering modify()"]), by_name(shots["as modify() returns"])
    assert leaving["modify", "n"][0] not in {label for label, _ in entry.values()}
    assert leaving["modify", "items"] == (entry["modify", "items"][0], "[1, 2, 3, 4]")


def test_after_the_call_count_is_unchanged_and_data_sees_the_append():
    shots = dict(record_bindings())
    before, after = by_name(shots["before the call"]), by_name(shots["after the call"])
    assert after["caller", "count"] == before["caller", "count"]
    assert after["caller", "data"][0] == before["caller", "data"][0]
    assert after["caller", "data"][1] == "[1, 2, 3, 4]"
    assert caller() == (1000, [1, 2, 3, 4])


def test_recording_leaves_no_trace_function_behind():
    import sys

    before = sys.gettrace()
    record_bindings()
    assert sys.gettrace() is before

import pytest

from snippets.pdb import crash_demo


def test_report_prints_alice_then_crashes_on_bobs_empty_list(capsys):
    with pytest.raises(ZeroDivisionError):
        crash_demo.report(crash_demo.SCORES)
    assert capsys.readouterr().out == "alice: 3.5\n"
    assert crash_demo.SCORES["bob"] == []

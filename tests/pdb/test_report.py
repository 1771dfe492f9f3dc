from snippets.pdb import report


def test_summary_imports_its_sibling_relatively_and_reports_mean_and_spread():
    # imported as snippets.pdb.report, the relative import finds snippets/pdb/stats.py
    assert report.summary(report.SCORES) == {"alice": (3.5, 1), "bob": (3.0, 3)}
    assert report.mean.__module__ == "snippets.pdb.stats"

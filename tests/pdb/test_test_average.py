import pytest

from snippets.pdb import test_average


def test_the_whole_numbers_test_passes_and_the_tenths_test_fails():
    test_average.test_whole_numbers()
    with pytest.raises(AssertionError):
        test_average.test_tenths()

from utils import average


def check_average(values, expected):
    got = average(values)
    assert got == expected


def test_whole_numbers():
    check_average([1, 2, 3], 2)


def test_tenths():
    scores = [0.1, 0.2, 0.3]
    check_average(scores, 0.2)

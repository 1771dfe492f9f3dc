from utils import average

SCORES = {"alice": [3, 4], "bob": []}  # bob has no scores yet


def report(scores):
    for name, values in scores.items():
        print(f"{name}: {average(values)}")


if __name__ == "__main__":
    report(SCORES)  # ZeroDivisionError inside average() when it reaches bob

from .stats import mean, spread

SCORES = {"alice": [3, 4], "bob": [2, 2, 5]}


def summary(scores):
    rows = {}
    for name, values in scores.items():
        rows[name] = (mean(values), spread(values))
    return rows


if __name__ == "__main__":
    for name, (m, s) in summary(SCORES).items():
        print(f"{name}: mean {m:.2f}, spread {s}")

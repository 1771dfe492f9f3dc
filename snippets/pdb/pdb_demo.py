from utils import average

BATCHES = [[1, 2, 3], [4, 5], [6]]


def main(batches):
    for batch in batches:
        mean = average(batch)
        print(f"average of {batch} = {mean}")


if __name__ == "__main__":
    main(BATCHES)

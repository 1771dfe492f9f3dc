from utils import average


def report(batch):
    mean = average(batch)
    breakpoint()  # PEP 553: calls sys.breakpointhook(), by default pdb
    print(f"average of {batch} = {mean}")


if __name__ == "__main__":
    report([1, 2, 3])

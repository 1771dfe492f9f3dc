"""Which name refers to which object, before, during and after a call, recorded at run time."""

# --8<-- [start:record_bindings]
import sys


def modify(n, items):
    n = n + 1  # rebinds the local name n to a new int
    items.append(4)  # changes the list that the caller's name refers to as well


def caller():
    count = int("1000")
    data = [1, 2, 3]
    modify(count, data)
    return count, data


def record_bindings():
    """[(moment, [(function, name, label, type, value)])], taken by sys.settrace."""
    shots, keep, labels = [], [], {}

    def take(moment, frames):
        rows = []
        for frame in frames:
            for name, obj in frame.f_locals.items():
                keep.append(obj)  # kept alive, so no id is reused meanwhile
                label = labels.setdefault(id(obj), f"obj{len(labels) + 1}")
                kind = type(obj).__name__
                rows.append((frame.f_code.co_name, name, label, kind, repr(obj)))
        shots.append((moment, rows))

    def tracer(frame, event, arg):
        if frame.f_code is modify.__code__:
            if event == "call":
                take("before the call", [frame.f_back])
                take("on entering modify()", [frame.f_back, frame])
            elif event == "return":
                take("as modify() returns", [frame.f_back, frame])
            return tracer
        if frame.f_code is caller.__code__:
            if event == "return":
                take("after the call", [frame])
            return tracer
        return None

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        caller()
    finally:
        sys.settrace(old)
    return shots


if __name__ == "__main__":
    for moment, rows in record_bindings():
        print(moment)
        for function in dict.fromkeys(row[0] for row in rows):
            names = "   ".join(f"{name} -> {label} ({kind} {value})"
                               for func, name, label, kind, value in rows
                               if func == function)
            print(f"  {function + '():':10}{names}")
# --8<-- [end:record_bindings]

"""functools.partial: a callable that remembers a function and some of its arguments."""

# --8<-- [start:partial_semantics]
import functools


def scale(x, factor, *, offset=0.0):
    return x * factor + offset


double = functools.partial(scale, factor=2)
print("func:", double.func.__name__, "| args:", double.args, end=" ")
print("| keywords:", double.keywords)
print("double(5)            =", double(5))  # scale(5, factor=2)
print("double(5, factor=3)  =", double(5, factor=3))  # a keyword given later wins
print("double(5, offset=1)  =", double(5, offset=1))  # new keywords are merged in

ten_times = functools.partial(scale, 10)  # fixes the FIRST positional argument
print("args:", ten_times.args, "| ten_times(3) =", ten_times(3))  # scale(10, 3)

try:
    # 3 lands on `factor` by position, and factor=2 arrives by keyword too:
    double(5, 3)
except TypeError as err:
    print("TypeError:", err)
# --8<-- [end:partial_semantics]


# --8<-- [start:partial_of_a_class]
import functools


class Ticket:
    def __init__(self, *seats, venue):
        self.seats, self.venue = seats, venue


# partial over a class is a factory: every call builds a new instance.
hall_ticket = functools.partial(Ticket, venue="hall")
a = hall_ticket("A1", "A2")
b = hall_ticket("B7")
print(type(hall_ticket).__name__, "->", type(a).__name__)
print("a:", a.seats, a.venue, "| b:", b.seats, b.venue)
print("two calls, two objects:", a is not b)

# Calling the class directly builds ONE instance right now, with no seats.
now = Ticket(venue="hall")
print(type(now).__name__, now.seats, "| callable:", callable(now))
# --8<-- [end:partial_of_a_class]

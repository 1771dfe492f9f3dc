"""A decorator is a callable that takes a function and returns one."""

# --8<-- [start:decorator_is_a_callable]
import functools


def shout(func):
    """Wrap func: return a NEW function that upper-cases func's result."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs).upper()

    return wrapper


SEEN = []


def remember(func):
    """Record func and hand back the SAME function, untouched."""
    SEEN.append(func.__name__)
    return func


def greet(name):
    return f"hello, {name}"


loud = shout(greet)  # exactly what `@shout` above `def greet` would do
print(loud("ada"), "|", greet("ada"))
print("shout returns a new object:", loud is not greet)


# Runs once, when the def statement runs: greet_twice = remember(greet_twice)
@remember
def greet_twice(name):
    return f"hello, {name}! hello!"


print("recorded when the def ran:", SEEN)
print("remember returns the same object:", remember(greet) is greet)
# --8<-- [end:decorator_is_a_callable]


# --8<-- [start:decorator_with_arguments]
class Label:
    """A decorator with arguments, written as a class: __init__ takes the
    arguments, __call__ takes the function."""

    def __init__(self, *labels):
        print("1. __init__ got", labels)
        self.labels = labels

    def __call__(self, func):
        print("2. __call__ got", func.__name__)
        func.labels = self.labels  # record on the function...
        return func  # ...and return the same function


@Label(
    "math", "fast"
)  # Label("math", "fast") runs first, then the result is called with add
def add(x, y):
    return x + y


print(add.__name__, add.labels, add(2, 3))


# The same two steps, written out:
def sub(x, y):
    return x - y


decorate = Label("math")  # an instance, waiting for a function
print(type(decorate).__name__, decorate(sub) is sub)
# --8<-- [end:decorator_with_arguments]

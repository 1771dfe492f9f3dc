"""`is` asks "same object?", `==` asks "equal values?"; caching makes `is` look right by accident."""

# --8<-- [start:is_vs_equals]
import sys

big_a, big_b = int("1000"), int("1000")  # built at run time
print("1000: ==", big_a == big_b, "| is", big_a is big_b)

small_a, small_b = int("100"), int("100")
print(" 100: ==", small_a == small_b, "| is", small_a is small_b)  # CPython caches -5..256

literal = "python"
joined = "".join(["py", "thon"])
print("str : ==", joined == literal, "| is", joined is literal,
      "| after sys.intern:", sys.intern(joined) is sys.intern(literal))
# --8<-- [end:is_vs_equals]


# --8<-- [start:is_literal_warning]
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    compile("x is 1000", "<example>", "eval")  # the compiler itself warns
print(caught[0].category.__name__ + ":", caught[0].message)
# --8<-- [end:is_literal_warning]


# --8<-- [start:is_for_singletons]
def describe(value=None):
    # `is` is right for singletons such as None: there is only one None object
    return "nothing given" if value is None else f"got {value!r}"


print(describe(), "|", describe(0), "|", describe([]))
# --8<-- [end:is_for_singletons]

"""Hierarchies that C3 refuses: Python raises TypeError when the class statement runs."""

# --8<-- [start:inconsistent_order]
class X:
    pass


class Y:
    pass


class M1(X, Y):  # says: X before Y
    pass


class M2(Y, X):  # says: Y before X
    pass


try:
    class Z(M1, M2):  # cannot honour both
        pass
except TypeError as err:
    print("TypeError:", err)
# --8<-- [end:inconsistent_order]


# --8<-- [start:base_before_derived]
class Base:
    pass


class Derived(Base):
    pass


try:
    class Bad(Base, Derived):  # Base listed first, yet Derived must precede it
        pass
except TypeError as err:
    print("TypeError:", err)


class Good(Derived, Base):  # the consistent order is accepted
    pass


print([c.__name__ for c in Good.__mro__])
# --8<-- [end:base_before_derived]

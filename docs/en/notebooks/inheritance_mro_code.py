# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Inheritance and the method resolution order (MRO)
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. It needs nothing but Python's standard library.

# %% [markdown]
# ## The question
#
# ## Single inheritance

# %%
class Animal:
    def __init__(self, name):
        self.name = name

    def speak(self):
        return f"{self.name} makes a sound"


class Dog(Animal):  # Dog is a subclass (derived class) of Animal
    def speak(self):  # overrides Animal.speak
        return f"{self.name} barks"


rex = Dog("Rex")
print(rex.speak())
print(Dog.__bases__)
print([c.__name__ for c in Dog.__mro__])


# %% [markdown]
# ## Multiple inheritance

# %%
class Swimmer:
    def move(self):
        return "swim"

    def breathe(self):
        return "gills"


class Walker:
    def move(self):
        return "walk"

    def breathe(self):
        return "lungs"

    def climb(self):
        return "climb"


class Amphibian(Walker, Swimmer):  # two direct bases: legal, and common, in Python
    pass


frog = Amphibian()
print(frog.move(), frog.breathe(), frog.climb())
print([c.__name__ for c in Amphibian.__mro__])


# %% [markdown]
# ## C3 linearization

# %%
def merge_steps(sequences):
    """C3's merge, one step at a time: yield (lists, rejected heads, head taken).

    A head is taken when it appears in no list's tail (everything after the first element).
    """
    sequences = [list(seq) for seq in sequences if seq]
    while sequences:
        rejected = []
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
            rejected.append(head)
        else:
            heads = ", ".join(sorted({seq[0].__name__ for seq in sequences}))
            raise TypeError(f"no consistent method resolution order (heads: {heads})")
        yield [list(seq) for seq in sequences], rejected, head
        sequences = [rest for seq in sequences if (rest := seq[1:] if seq[0] is head else seq)]


def c3_linearize(cls):
    """The C3 linearization of cls, computed from __bases__:
    L[C] = C + merge(L[B1], ..., L[Bn], [B1, ..., Bn])."""
    lists = [c3_linearize(base) for base in cls.__bases__] + [list(cls.__bases__)]
    return [cls] + [head for _, _, head in merge_steps(lists)]


# %%
from collections import deque


def dfs_order(cls):
    """Depth first, left to right, first visit wins (Python 2's rule for classic classes)."""
    seen, order = set(), []

    def visit(c):
        if c not in seen:
            seen.add(c)
            order.append(c)
            for base in c.__bases__:
                visit(base)

    visit(cls)
    return order


def bfs_order(cls):
    """Breadth first, left to right: what the seed article claims Python 3 does."""
    seen, order, queue = {cls}, [], deque([cls])
    while queue:
        c = queue.popleft()
        order.append(c)
        for base in c.__bases__:
            if base not in seen:
                seen.add(base)
                queue.append(base)
    return order


def names(classes):
    return " ".join(c.__name__ for c in classes)


# %% [markdown]
# ## The seed's error: not breadth first

# %%

class A:
    pass


class B(A):
    pass


class C(A):
    pass


class D(B, C):
    pass


print("__mro__", names(D.__mro__))
print("C3     ", names(c3_linearize(D)))
print("BFS    ", names(bfs_order(D)))
print("DFS    ", names(dfs_order(D)))
# Python 2's classic classes: depth first too, but with no `object` at the root
print("classic", names(c for c in dfs_order(D) if c is not object))


# %%

class P:
    def who(self):
        return "P"


class Q(P):
    pass


class R:
    def who(self):
        return "R"


class S(Q, R):
    pass


print("__mro__", names(S.__mro__))
print("C3     ", names(c3_linearize(S)))
print("BFS    ", names(bfs_order(S)))
print("S().who() ->", S().who())

# %%
lists = [c3_linearize(base) for base in S.__bases__] + [list(S.__bases__)]
result = [S]
for lists_now, rejected, head in merge_steps(lists):
    result.append(head)
    line = "  ".join(f"[{names(seq)}]" for seq in lists_now).ljust(30) + f" take {head.__name__}"
    if rejected:  # heads tried first and refused: each is in some list's tail
        line += f"  (refused {names(rejected)}: in the tail of another list)"
    print(line)
print("L[S] =", names(result))


# %% [markdown]
# ## Hierarchies C3 refuses

# %%
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


# %%
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


# %% [markdown]
# ## super() and cooperative inheritance

# %%
class Root:
    def __init__(self, log):
        log.append("Root")


class Left(Root):
    def __init__(self, log):
        log.append("Left")
        super().__init__(log)  # next class after Left in type(self).__mro__


class Right(Root):
    def __init__(self, log):
        log.append("Right")
        super().__init__(log)


class Child(Left, Right):
    def __init__(self, log):
        log.append("Child")
        super().__init__(log)


calls = []
Child(calls)
print(" -> ".join(calls))  # Root runs once, Right runs although Left never names it
calls = []
Left(calls)
print(" -> ".join(calls))  # on a plain Left, super() in Left goes straight to Root


# %%
class HardRoot:
    def __init__(self, log):
        log.append("HardRoot")


class HardLeft(HardRoot):
    def __init__(self, log):
        log.append("HardLeft")
        HardRoot.__init__(self, log)  # hard-wired parent instead of super()


class HardRight(HardRoot):
    def __init__(self, log):
        log.append("HardRight")
        HardRoot.__init__(self, log)


class HardChild(HardLeft, HardRight):
    def __init__(self, log):
        log.append("HardChild")
        HardLeft.__init__(self, log)
        HardRight.__init__(self, log)


calls = []
HardChild(calls)
print(" -> ".join(calls))  # HardRoot runs twice


# %% [markdown]
# ## Cooperative super() done right

# %%
class Shape:
    """The root of the chain: it takes what is left and ends the chain."""

    def __init__(self, **kwargs):
        if kwargs:  # object.__init__ would refuse them too, less clearly
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(kwargs)}")
        super().__init__()


class Colored(Shape):
    def __init__(self, *, color, **kwargs):  # take your own argument by keyword...
        self.color = color
        super().__init__(**kwargs)  # ...and pass on everything else


class Named(Shape):
    def __init__(self, *, name, **kwargs):
        self.name = name
        super().__init__(**kwargs)


class Label(Colored, Named):
    pass  # no __init__ of its own: the chain runs Colored, Named, Shape


label = Label(color="red", name="title")
print(label.color, label.name, "| MRO:", " ".join(c.__name__ for c in Label.__mro__))
try:
    Label(color="red", name="title", size=3)
except TypeError as err:
    print("TypeError:", err)


# %%
class LooseColored:  # no common root: object comes right after the last class
    def __init__(self, *, color, **kwargs):
        self.color = color
        super().__init__(**kwargs)


class LooseNamed:
    def __init__(self, *, name, **kwargs):
        self.name = name
        super().__init__(**kwargs)


class LooseLabel(LooseColored, LooseNamed):
    pass


try:
    LooseLabel(color="red", name="title", size=3)  # the stray size= reaches object
except TypeError as err:
    print("TypeError:", err)


# %%
class Legacy:
    """A class we cannot change: positional argument, never calls super()."""

    def __init__(self, path):
        self.path = path


class Broken(Legacy, Named):  # Legacy.__init__ ends the chain: Named never runs
    pass


broken = Broken("data.csv")
print("Named.__init__ ran:", hasattr(broken, "name"))  # silently skipped
try:
    Broken("data.csv", name="title")  # and Named's argument has nowhere to go
except TypeError as err:
    print("TypeError:", err)


class LegacyAdapter(Shape):
    """Wraps Legacy and joins the chain: takes its argument by keyword, passes the rest on."""

    def __init__(self, *, path, **kwargs):
        self.legacy = Legacy(path)
        super().__init__(**kwargs)


class Dataset(LegacyAdapter, Named):
    pass


data = Dataset(path="data.csv", name="title")
print(data.legacy.path, data.name, "| MRO:", " ".join(c.__name__ for c in Dataset.__mro__))


# %% [markdown]
# ## When a parent's __init__ runs

# %%
class Base:
    def __init__(self):
        self.ready = True


class Forgetful(Base):
    def __init__(self):  # overrides Base.__init__ and never calls it
        self.size = 1


class Careful(Base):
    def __init__(self):
        super().__init__()  # runs Base.__init__ explicitly
        self.size = 1


class Inheriting(Base):  # no __init__ of its own: Base.__init__ is found through the MRO
    pass


print(hasattr(Forgetful(), "ready"), hasattr(Careful(), "ready"), hasattr(Inheriting(), "ready"))

"""super() follows the MRO of the instance's class, not the class where it is written."""

# --8<-- [start:super_chain]
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
# --8<-- [end:super_chain]


# --8<-- [start:explicit_parent_calls]
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
# --8<-- [end:explicit_parent_calls]


# --8<-- [start:kwargs_chain]
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
# --8<-- [end:kwargs_chain]


# --8<-- [start:without_a_root]
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
# --8<-- [end:without_a_root]


# needs: kwargs_chain
# --8<-- [start:adapter]
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
# --8<-- [end:adapter]

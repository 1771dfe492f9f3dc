"""Single and multiple inheritance, and where Python looks a method up."""

# --8<-- [start:single_inheritance]
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
# --8<-- [end:single_inheritance]


# --8<-- [start:multiple_inheritance]
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
# --8<-- [end:multiple_inheritance]


# --8<-- [start:parent_init_runs_only_when_called]
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
# --8<-- [end:parent_init_runs_only_when_called]

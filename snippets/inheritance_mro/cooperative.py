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

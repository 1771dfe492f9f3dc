"""A stand-in for pdb, saved as breakpoint_hooks.py next to the demo scripts:
PYTHONBREAKPOINT=breakpoint_hooks.show_locals"""

# --8<-- [start:custom_hook]
import sys


def show_locals(*args, **kwargs):
    """A breakpoint hook: print where it was called and the caller's locals, go on."""
    caller = sys._getframe(1)
    where = f"{caller.f_code.co_name}() line {caller.f_lineno}"
    names = ", ".join(f"{k}={v!r}" for k, v in sorted(caller.f_locals.items()))
    print(f"[breakpoint in {where}: {names}]")
# --8<-- [end:custom_hook]

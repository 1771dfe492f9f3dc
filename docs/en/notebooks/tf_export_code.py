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
# # What @tf_export does: decorators, functools.partial and a public API
#
# Every example of the article, in page order: it runs top to bottom in an empty folder. It needs nothing but Python's standard library.

# %% [markdown]
# ## The question
#
# ## A decorator is a callable that takes a function and returns an object

# %%
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


# %% [markdown]
# ## Decorators with arguments

# %%
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

# %% [markdown]
# ## functools.partial

# %%
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

# %%
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

# %% [markdown]
# ## How tf_export is built

# %%
import keyword


class InvalidSymbolNameError(ValueError):
    """A public name that cannot become an attribute path such as tf.math.add."""


class SymbolExposedTwiceError(ValueError):
    """Two different objects claim the same public name."""


# Attributes that record the public names, per API (TensorFlow's own names).
API_ATTRS = {
    "tensorflow": ("_tf_api_names", "_tf_api_names_v1"),
    "keras": ("_keras_api_names", "_keras_api_names_v1"),
}

# Whole subpackages TensorFlow's generator makes: compat.v1 from the v1 names,
# compat.v2 from the v2 names. Other names under compat (TensorFlow's
# compat.as_bytes, compat.path_to_str, ...) are exported by hand like any other.
GENERATED = ("compat.v1", "compat.v2")


def check_public_name(name):
    """Raise a one-line error unless name is a dotted path of identifiers
    outside compat.v1 and compat.v2."""
    if not isinstance(name, str):
        hint = " (@tf_export without parentheses?)" if callable(name) else ""
        raise TypeError(
            f"public API names are strings such as 'math.add', "
            f"got {type(name).__name__}{hint}"
        )
    parts = name.split(".")
    if not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        raise InvalidSymbolNameError(
            f"invalid public name {name!r}: "
            "every dot-separated part must be a Python identifier"
        )
    if ".".join(parts[:2]) in GENERATED:  # compat.as_bytes is fine, compat.v1.x is not
        raise InvalidSymbolNameError(
            f"invalid public name {name!r}: the generator makes compat.v1 and "
            "compat.v2 (a TF1 name goes in v1=[...])"
        )


class api_export:  # noqa: N801 (lower case, as it is used as a decorator)
    """Remember public names now; record them on the symbol when called with it."""

    def __init__(self, *names, api_name, registry, v1=None):
        if api_name not in API_ATTRS:
            raise ValueError(
                f"unknown api_name {api_name!r}, "
                f"expected one of {sorted(API_ATTRS)}"
            )
        if isinstance(v1, str):
            raise TypeError(
                f"v1 takes a list of names such as [{v1!r}], not the string {v1!r}"
            )
        names_v1 = names if v1 is None else tuple(v1)
        for name in (*names, *names_v1):
            check_public_name(name)
        self._names, self._names_v1 = names, names_v1
        self._api_name, self._registry = api_name, registry

    def __call__(self, symbol):
        if not callable(symbol) or not hasattr(symbol, "__dict__"):
            raise TypeError(
                "api_export decorates a function or class, "
                f"got {type(symbol).__name__} {symbol!r}"
            )
        paths = [*self._names, *(f"compat.v1.{name}" for name in self._names_v1)]
        for path in paths:  # check everything before changing anything
            owner = self._registry.get(path)
            if owner is not None and owner is not symbol:
                raise SymbolExposedTwiceError(
                    f"public name {path!r} already belongs to {owner.__qualname__}, "
                    f"cannot give it to {symbol.__qualname__}"
                )
        names_attr, names_v1_attr = API_ATTRS[self._api_name]
        setattr(symbol, names_attr, self._names)
        setattr(symbol, names_v1_attr, self._names_v1)
        for path in paths:
            self._registry[path] = symbol
        return symbol  # the very same object: nothing is wrapped or renamed


# %%
import functools

# TensorFlow keeps one module-level dict; ours is passed in, so examples start clean.
registry = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=registry)
print("tf_export:", type(tf_export).__name__, "of", tf_export.func.__name__)
print("fixed keywords:", sorted(tf_export.keywords))


def add(x, y):
    return x + y


# What @tf_export("math.add", "add") above `def add` would do:
decorated = tf_export("math.add", "add")(add)
print("returns the same object:", decorated is add)
print("__name__ unchanged:", add.__name__, "| still works:", add(2, 3))
print("_tf_api_names:   ", add._tf_api_names)
print("_tf_api_names_v1:", add._tf_api_names_v1)
for path, symbol in sorted(registry.items()):
    print(f"registry  {path:<18} -> {symbol.__name__}")

# %% [markdown]
# ## v1 names and tf.compat.v1

# %%
import functools

registry = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=registry)


@tf_export(v1=["app.run"])  # like TensorFlow's app.run: TF1 only
def run(main=None, argv=None):
    return main(argv or [])


@tf_export("nn.gelu", v1=[])  # new in TF2: no TF1 name at all
def gelu(x):
    return x


# TF1 also had a second path for it:
@tf_export("math.reduce_sum", v1=["math.reduce_sum", "reduce_sum"])
def reduce_sum(values):
    return sum(values)


# A hand-exported name under compat, like TensorFlow's tf.compat.as_bytes.
# Only compat.v1 and compat.v2 are generated; this is an ordinary v2 name,
# and its default v1 name puts it at compat.v1.compat.as_bytes as well.
@tf_export("compat.as_bytes")
def as_bytes(text):
    return text.encode("utf-8")


for f in (run, gelu, reduce_sum, as_bytes):
    v2, v1 = f._tf_api_names, f._tf_api_names_v1
    print(f"{f.__name__:<10} v2={v2!s:<22} v1={v1}")
for path in sorted(registry):
    print(f"{path:<28} -> {registry[path].__name__}")

# %% [markdown]
# ## Build time: generating the public modules

# %%
import types

# The source of the library module mini_tf.
SOURCE = '''
import functools

REGISTRY = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=REGISTRY)


@tf_export("math.add", "add")
def add(x, y):
    return x + y


@tf_export("math.reduce_sum", v1=["math.reduce_sum", "reduce_sum"])
def reduce_sum(values):
    return sum(values)


@tf_export("nn.relu")
def relu(x):
    return max(x, 0)


@tf_export(v1=["app.run"])
def run(main, argv=None):
    return main(argv or [])
'''

# The heart of what `import mini_tf` does with a file mini_tf.py: a new module
# object runs the file's source in its namespace.
mini_tf = types.ModuleType("mini_tf")
mini_tf.api_export = api_export  # what `from ... import api_export` would give it
exec(SOURCE, vars(mini_tf))  # runs every decorator: the registry is filled

if __name__ == "__main__":
    for path, symbol in sorted(mini_tf.REGISTRY.items()):
        print(f"{path:<26} -> {symbol.__module__}.{symbol.__name__}")

# %%
import types

SUBMODULE = object()  # marks "this attribute is a generated submodule"


class ApiConflictError(ValueError):
    """One public path is asked to be both a module and a symbol."""


def api_tree(registry):
    """{module path: {attribute: symbol or SUBMODULE}}; "" is the package."""
    tree = {"": {}}
    for path in sorted(registry):  # sorted: "math" comes before "math.add"
        parts = path.split(".")
        if not all(part.isidentifier() for part in parts):
            raise InvalidSymbolNameError(
                f"registry path {path!r} is not a dotted path of identifiers"
            )
        for depth in range(1, len(parts)):  # make sure every parent module exists
            parent, name = ".".join(parts[: depth - 1]), parts[depth - 1]
            if tree[parent].get(name, SUBMODULE) is not SUBMODULE:
                raise ApiConflictError(
                    f"{'.'.join(parts[:depth])!r} is exported as a symbol, "
                    f"so {path!r} cannot live under it"
                )
            tree[parent][name] = SUBMODULE
            tree.setdefault(".".join(parts[:depth]), {})
        tree[".".join(parts[:-1])][parts[-1]] = registry[path]
    return tree


def build_namespace(registry, package="tf"):
    """Build the public API in memory as a tree of module objects."""
    tree = api_tree(registry)
    modules = {
        path: types.ModuleType(f"{package}.{path}" if path else package)
        for path in tree
    }
    for path, entries in tree.items():
        for name, value in entries.items():
            child = f"{path}.{name}" if path else name
            value = modules[child] if value is SUBMODULE else value
            setattr(modules[path], name, value)
    return modules[""]


# %%
from pathlib import Path


def init_files(registry, package="tf"):
    """{relative path: text} of the __init__.py files exposing the registry."""
    files = {}
    for path, entries in sorted(api_tree(registry).items()):
        lines = ['"""Generated from the export registry. Do not edit."""']
        for name, value in sorted(entries.items()):
            if value is SUBMODULE:
                lines.append(f"from . import {name}")
            elif value.__name__ == name:
                lines.append(f"from {value.__module__} import {name}")
            else:
                lines.append(
                    f"from {value.__module__} import {value.__name__} as {name}"
                )
        folder = "/".join([package, *path.split(".")]) if path else package
        files[f"{folder}/__init__.py"] = "\n".join(lines) + "\n"
    return files


def write_package(registry, directory, package="tf"):
    """Write the generated package under directory; return the files written."""
    written = []
    for relative, text in init_files(registry, package).items():
        target = Path(directory) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(relative)
    return written


# %%
tf = build_namespace(mini_tf.REGISTRY)
print("tf.math.add(2, 3) =", tf.math.add(2, 3))
print("tf.add is tf.math.add is mini_tf.add:", tf.add is tf.math.add is mini_tf.add)
print("tf.compat.v1.reduce_sum([1, 2, 3]) =", tf.compat.v1.reduce_sum([1, 2, 3]))
print("tf.compat.v1.app.run is mini_tf.run:", tf.compat.v1.app.run is mini_tf.run)
print("tf.app exists:", hasattr(tf, "app"))
print("tf.reduce_sum exists:", hasattr(tf, "reduce_sum"))
print("tf.compat.v1 also has nn.relu:", tf.compat.v1.nn.relu(-4))

# %%
import importlib
import sys
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as build_dir:
    for relative in write_package(mini_tf.REGISTRY, build_dir, package="minitf"):
        print("wrote", relative)
    compat_v1 = Path(build_dir, "minitf", "compat", "v1", "__init__.py")
    print(compat_v1.read_text(encoding="utf-8"))
    sys.path.insert(0, build_dir)
    # The generated files import from mini_tf by name. There is no mini_tf.py
    # to find, so the module goes where `import` looks first: sys.modules.
    sys.modules["mini_tf"] = mini_tf
    try:
        minitf = importlib.import_module("minitf")  # "import tensorflow as tf"
        print("minitf.math.add is mini_tf.add:", minitf.math.add is mini_tf.add)
        print("minitf.compat.v1.app.run(len, ['x', 'y']) =",
              minitf.compat.v1.app.run(len, ["x", "y"]))
    finally:  # leave the interpreter as we found it
        sys.path.remove(build_dir)
        for name in [m for m in sys.modules if m.split(".")[0] in ("minitf", "mini_tf")]:
            del sys.modules[name]

# %% [markdown]
# ## The proof: partial is not a call

# %%
import functools

registry = {}
factory = functools.partial(api_export, api_name="tensorflow", registry=registry)
# The seed's "same thing":
instance = api_export(api_name="tensorflow", registry=registry)

print("factory :", type(factory).__name__, "-> each call builds an", end=" ")
print(type(factory("app.run")).__name__)
print("instance:", type(instance).__name__, "already built, names:", instance._names)
try:

    # "app.run" goes to __call__, which expects the function:
    @instance("app.run")
    def run(main=None, argv=None):
        return main(argv or [])

except TypeError as err:
    print("TypeError:", err)
print("registry after the failure:", registry)

# %% [markdown]
# ## Why go to this trouble: the API as a reviewed file

# %%
import inspect
from pathlib import Path


class ApiChangedError(AssertionError):
    """The public API differs from the golden files."""


def golden_files(registry, package="tf"):
    """{file name: text}: one file per public module, one line per member.

    A function is written with its signature. Where it is defined (its
    module, its file) is not written: that is not part of the API.
    """
    files = {}
    for path, entries in api_tree(registry).items():
        lines = []
        for name, value in sorted(entries.items()):
            if value is SUBMODULE:
                lines.append(f"module {name}")
            else:
                lines.append(f"function {name}{inspect.signature(value)}")
        module = f"{package}.{path}" if path else package
        files[f"{module}.golden"] = "\n".join(lines) + "\n"
    return files


def api_differences(golden, current):
    """What was removed, added or changed, file by file and line by line."""
    differences = []
    for name in sorted(golden.keys() | current.keys()):
        if name not in current:
            differences.append(f"removed module file {name}")
        elif name not in golden:
            differences.append(f"new module file {name}")
        else:
            old = set(golden[name].splitlines())
            new = set(current[name].splitlines())
            differences += [f"{name}: - {line}" for line in sorted(old - new)]
            differences += [f"{name}: + {line}" for line in sorted(new - old)]
    return differences


def check_api(registry, golden_dir, update=False):
    """The API test: fail on any difference unless update=True, which
    rewrites the golden files instead. Returns the differences."""
    golden_dir = Path(golden_dir)
    if not golden_dir.is_dir():
        raise FileNotFoundError(f"no golden folder {str(golden_dir)!r}"
                                " (write it first with update=True)")
    golden = {p.name: p.read_text(encoding="utf-8")
              for p in golden_dir.glob("*.golden")}
    current = golden_files(registry)
    differences = api_differences(golden, current)
    if differences and not update:
        raise ApiChangedError(
            f"{len(differences)} differences between the API and its golden"
            " files; if they are intended, run with update=True and commit"
            " the files:\n  " + "\n  ".join(differences))
    if update:
        for name in golden.keys() - current.keys():
            (golden_dir / name).unlink()
        for name, text in current.items():
            (golden_dir / name).write_text(text, encoding="utf-8")
    return differences


# %%
import tempfile

with tempfile.TemporaryDirectory() as golden_dir:
    check_api(mini_tf.REGISTRY, golden_dir, update=True)  # the committed files
    print(*sorted(p.name for p in Path(golden_dir).iterdir()))
    print("tf.math.golden:")
    print(Path(golden_dir, "tf.math.golden").read_text(encoding="utf-8"))

    # A refactor: add moves to another module. Same public names and signature.
    def add(x, y):
        return x + y

    moved = {path: add if f is mini_tf.add else f
             for path, f in mini_tf.REGISTRY.items()}
    print(f"add moved to module {add.__module__}; differences:",
          check_api(moved, golden_dir))

    # An API change: relu gains a parameter, and reduce_sum loses its v1 alias.
    def relu(x, alpha=0.0):
        return max(x, alpha * x)

    changed = {path: relu if f is mini_tf.relu else f
               for path, f in mini_tf.REGISTRY.items()
               if path != "compat.v1.reduce_sum"}
    try:
        check_api(changed, golden_dir)
    except ApiChangedError as error:
        print(error)

# %% [markdown]
# ## Pitfalls

# %%
import functools

registry = {}
tf_export = functools.partial(api_export, api_name="tensorflow", registry=registry)

for bad in ["math..add", "1abc", "math.lambda", "compat.v1.add"]:
    try:
        tf_export(bad)
    except InvalidSymbolNameError as err:
        print("InvalidSymbolNameError:", err)

try:

    @tf_export  # no parentheses: the function arrives as a "name"
    def mean(values):
        return sum(values) / len(values)

except TypeError as err:
    print("TypeError:", err)


@tf_export("math.add")
def add(x, y):
    return x + y


try:

    @tf_export("math.add")  # a second function wants the same path
    def plus(x, y):
        return x + y

except SymbolExposedTwiceError as err:
    print("SymbolExposedTwiceError:", err)
print("kept:", {path: f.__name__ for path, f in registry.items()})

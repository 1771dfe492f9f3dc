"""A small api_export written for this article (not TensorFlow's code).

TensorFlow's own is tensorflow/python/util/tf_export.py; this one keeps its shape:
a class whose __init__ takes public names and whose __call__ records them on the
symbol and in a registry, then returns the same symbol.
"""

# --8<-- [start:api_export_class]
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
# --8<-- [end:api_export_class]

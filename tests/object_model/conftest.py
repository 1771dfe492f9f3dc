"""Run one region of a snippet module the way a reader's copy runs: alone, in a fresh
namespace. The tests then check what it printed and the objects it left behind, so they
exercise the article's own code instead of retyping it."""

import contextlib
import io

import pytest

from tools.regions import Include, region_code


@pytest.fixture
def run():
    def run_region(module: str, region: str) -> tuple[dict, str]:
        namespace, out = {"__name__": "__main__"}, io.StringIO()
        code = compile(region_code(Include(f"snippets/object_model/{module}.py", region)), region, "exec",
                       dont_inherit=True)
        with contextlib.redirect_stdout(out):
            exec(code, namespace)
        return namespace, out.getvalue()

    return run_region

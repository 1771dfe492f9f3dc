"""Run a region of the article the way a reader's copy runs: the regions it needs, then the
region, in one fresh namespace as __main__. Tests then inspect what it printed and the objects
it left behind, so they check the article's own code instead of retyping it."""

import contextlib
import io

import pytest

from tools.regions import Include, needed, region_code


@pytest.fixture
def run():
    def run_region(module: str, region: str) -> tuple[dict, str]:
        inc = Include(f"snippets/face_recognition/{module}.py", region)
        namespace, out = {"__name__": "__main__"}, io.StringIO()
        for step in [*needed(inc), inc]:
            code = compile(region_code(step), str(step), "exec", dont_inherit=True)
            with contextlib.redirect_stdout(out if step == inc else io.StringIO()):
                exec(code, namespace)
        return namespace, out.getvalue()

    return run_region

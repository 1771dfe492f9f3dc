"""requirements.lock is what pyproject.toml asks for: `make lock` was run after its last change."""

import re

from tools.lock import LOCK, input_hash, lock_input, torch_pin


def test_lock_was_written_from_the_current_pyproject():
    header = LOCK.read_text(encoding="utf-8").splitlines()[1]
    assert f"input {input_hash()};" in header, "pyproject.toml changed: run `make lock`"


def test_lock_pins_every_package_with_hashes_and_leaves_torch_to_setup():
    text = LOCK.read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if line and not line.startswith(("#", " "))]
    assert entries and all("==" in e and e.endswith("\\") for e in entries), entries[:3]
    assert not any(e.startswith("torch==") for e in entries)
    assert torch_pin().startswith("torch==") and "--hash=sha256:" in text
    names = {e.split("==")[0].lower() for e in entries}
    wanted = {re.split(r"[ ;<>=!~\[]", r)[0].lower() for r in lock_input()}
    assert wanted <= names, wanted - names

"""Two ways pdb surprises people: a forgotten breakpoint() and a file named pdb.py."""

# On the page these come from the earlier blocks that `# needs:` names.
from snippets.pdb.sessions import run_python


# needs: sessions.py:run_pdb
# --8<-- [start:forgotten_breakpoint]
def forgotten_breakpoint():
    # As in CI or under a job runner: stdin is empty, so pdb reads end-of-file at its prompt.
    return run_python(["breakpoint_demo.py"], [])


if __name__ == "__main__":
    session = forgotten_breakpoint()
    print(session.transcript)
    print("exit status:", session.returncode)
    print("stderr ends with:", session.stderr.splitlines()[-1])
# --8<-- [end:forgotten_breakpoint]


# --8<-- [start:shadowed_pdb]
import subprocess
import sys
import tempfile
from pathlib import Path


def run_next_to_a_file_named_pdb():
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "pdb.py").write_text('print("this is ./pdb.py, not the debugger")\n')
        Path(folder, "job.py").write_text('print("job.py ran")\n')
        done = subprocess.run([sys.executable, "-m", "pdb", "job.py"], cwd=folder, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=20)
    return done.stdout


if __name__ == "__main__":
    print(run_next_to_a_file_named_pdb(), end="")
# --8<-- [end:shadowed_pdb]

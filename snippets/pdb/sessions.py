"""Drive pdb with scripted commands and turn what it prints into a readable transcript.

Every debugger session on the page is produced here: pdb reads its commands from a pipe
instead of a keyboard, so it does not echo them; `transcript()` writes each command back
after the prompt that asked for it. Everything runs in the current folder, where the reader
keeps utils.py and the demo scripts: paths in that folder are shown by file name, and the two
frames that belong to pdb's own machinery (`bdb.py` and `<string>`) are folded into one line
of `where` output, so the text does not depend on the machine or on where Python is installed.
"""

from __future__ import annotations

from pathlib import Path

PROMPT = "(Pdb) "


def line_of(path: str | Path, text: str) -> int:
    """The number of the first line of a file that contains `text` (for `b file:line`)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"line_of: no such file {path}")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise ValueError(f"line_of: {text!r} does not occur in {path.name}")


# --8<-- [start:transcript]
import os
import re
from pathlib import Path

# "> utils.py(2)add()" is where pdb stopped; "  file(line)func()" is a frame of `w`.
LOCATION = re.compile(r"^> (?P<file>.+?)\((?P<line>\d+)\)(?P<func>[\w<>]+)\(\)(?P<retval>->.*)?$")
FRAME = re.compile(r"^[ >] (?P<file>.+?)\((?P<line>\d+)\)(?P<func>[\w<>]+)\(\)")


def transcript(screen, commands, prompts=("(Pdb) ",)):
    """Write each command back after the prompt that read it, as a terminal would show it."""
    pattern = "|".join(re.escape(p) for p in prompts)
    parts = re.split(f"({pattern})", screen)  # text, prompt, text, prompt, ...
    out, pending = [parts[0]], list(commands)
    for prompt, text in zip(parts[1::2], parts[2::2], strict=True):
        out.append(prompt)
        if pending:
            out.append(pending.pop(0) + "\n")
        out.append(text)
    if pending:
        raise ValueError(f"pdb stopped reading after {len(commands) - len(pending)} of "
                         f"{len(commands)} commands; unread: {pending}")
    return "".join(out)


def portable(screen, commands):
    """The transcript, with files of this folder shown by name and pdb's own frames folded."""
    text = transcript(screen, commands)
    here = Path.cwd()
    # pdb names a script by its real path: a file linked into this folder shows where it lives.
    folders = {here, here.resolve(), *(p.resolve().parent for p in here.iterdir() if p.is_symlink())}
    for folder in sorted(folders, key=lambda f: len(str(f)), reverse=True):
        text = text.replace(f"{folder}{os.sep}", "")
    lines, out, i = text.splitlines(keepends=True), [], 0
    while i < len(lines):
        m = FRAME.match(lines[i])
        if m and m["file"].startswith(("/", "<")) and not lines[i].startswith(">"):
            i += 1  # a frame of bdb.py or <string>: skip it and its "-> code" line
            if i < len(lines) and lines[i].startswith("-> "):
                i += 1
            if not out or out[-1] != "  [pdb's own frames]\n":
                out.append("  [pdb's own frames]\n")
            continue
        out.append(lines[i])
        i += 1
    return "".join(out)
# --8<-- [end:transcript]


# needs: transcript
# --8<-- [start:run_pdb]
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass


@dataclass
class Session:
    """What a scripted debugger session printed."""

    transcript: str
    stderr: str = ""
    returncode: int = 0

    def stops(self):
        """(file, line, function) of every place where pdb stopped, in order."""
        return [(m["file"], int(m["line"]), m["func"])
                for m in map(LOCATION.match, self.transcript.splitlines()) if m]

    def answers(self, command):
        """What pdb printed right after each occurrence of `command` (up to the next prompt)."""
        found = []
        for chunk in self.transcript.split("(Pdb) ")[1:]:
            typed, _, rest = chunk.partition("\n")
            if typed == command:
                found.append(rest)
        return found


def run_python(args, commands, env=None):
    """Run `python ARGS` in the current folder, typing `commands` at pdb's prompt."""
    if isinstance(commands, str) or not all(isinstance(c, str) for c in commands):
        raise TypeError("commands must be a list of strings, one pdb command each")
    with tempfile.TemporaryDirectory() as home:  # no ~/.pdbrc of yours gets in
        environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONBREAKPOINT", "PYTHONPATH")}
        environ.update(HOME=home, PYTHONUNBUFFERED="1", **(env or {}))
        done = subprocess.run([sys.executable, *args], input="".join(c + "\n" for c in commands),
                              capture_output=True, text=True, env=environ, timeout=20)
    return Session(portable(done.stdout, commands), portable(done.stderr, []), done.returncode)


def run_pdb(script, commands, options=()):
    """`python -m pdb [OPTIONS] SCRIPT`, with `commands` typed at the (Pdb) prompt."""
    if not os.path.isfile(script):
        raise ValueError(f"run_pdb: no script {script!r} in this folder ({os.getcwd()})")
    return run_python(["-m", "pdb", *options, script], commands)
# --8<-- [end:run_pdb]

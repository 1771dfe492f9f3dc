"""The figure of the pdb article: where n, s, r and c stop, drawn from a real trace.

`record_trace()` runs pdb_demo.main() under sys.settrace and keeps every call, line and
return event in pdb_demo.py and utils.py. `stop_after(command)` runs the same call under a
real Pdb, stops at `total = add(total, v)` in average(), types the command and reads where
pdb stopped from what it printed. The figure places those stops on the trace.
"""

from __future__ import annotations

import contextlib
import io
import pdb
import re
import sys
from pathlib import Path

# pdb_demo.py imports utils by its bare name, as the reader's copy does: its folder goes on sys.path.
sys.path.append(str(Path(__file__).resolve().parent))
import pdb_demo  # noqa: E402
import utils  # noqa: E402

from snippets.pdb.sessions import LOCATION, line_of  # noqa: E402

BATCHES = [[1, 2, 3]]
START_TEXT = "total = add(total, v)"  # the line in average() where every command starts
COMMANDS = ["n", "s", "r", "c"]
FILES = {Path(utils.__file__).resolve(), Path(pdb_demo.__file__).resolve()}


def record_trace(batches=BATCHES) -> list[tuple[str, str, int, int]]:
    """[(event, function, line, depth)] of pdb_demo.main(batches); depth 1 is main()."""
    events: list[tuple[str, str, int, int]] = []

    def depth(frame) -> int:
        n = 0
        while frame is not None:
            n += Path(frame.f_code.co_filename).resolve() in FILES
            frame = frame.f_back
        return n

    def tracer(frame, event, arg):
        if Path(frame.f_code.co_filename).resolve() not in FILES:
            return None
        if event in ("call", "line", "return"):
            events.append((event, frame.f_code.co_name, frame.f_lineno, depth(frame)))
        return tracer

    with contextlib.redirect_stdout(io.StringIO()):
        old = sys.gettrace()
        sys.settrace(tracer)
        try:
            pdb_demo.main(batches)
        finally:
            sys.settrace(old)
    return events


def stop_after(command: str, batches=BATCHES) -> tuple[str, str, int, str]:
    """(event, function, line, transcript) of where pdb stops when `command` is typed at START."""
    if command not in COMMANDS:
        raise ValueError(f"stop_after: command must be one of {COMMANDS}, not {command!r}")
    start = f"{utils.__file__}:{line_of(utils.__file__, START_TEXT)}"
    # tbreak: the breakpoint is gone before n, s or r; c needs it to stop again.
    commands = ["b " + start if command == "c" else "tbreak " + start, "c", command, "p v", "q"]
    screen = io.StringIO()
    debugger = pdb.Pdb(stdin=io.StringIO("".join(c + "\n" for c in commands)), stdout=screen,
                       readrc=False, nosigint=True)
    try:
        with contextlib.redirect_stdout(screen):
            debugger.runcall(pdb_demo.main, batches)
    finally:
        debugger.clear_all_breaks()
    # The part of the screen after the command was read: an optional --Call--/--Return--
    # line, then "> file(line)function()".
    after = screen.getvalue().split("(Pdb) ")[3]
    where = next(m for m in map(LOCATION.match, after.splitlines()) if m)
    event = "call" if "--Call--" in after else "return" if "--Return--" in after else "line"
    return event, where["func"], int(where["line"]), screen.getvalue()


def v_after(command: str) -> int | None:
    """The value of the loop variable v in average() where `command` stopped (None outside it)."""
    answer = stop_after(command)[3].split("(Pdb) ")[4].splitlines()[0]
    return int(answer) if re.fullmatch(r"\d+", answer) else None


def positions() -> tuple[list, int, dict[str, int]]:
    """(trace, index of the start event, {command: index of the event where it stops})."""
    trace = record_trace()
    start_line = line_of(utils.__file__, START_TEXT)
    start = next(i for i, e in enumerate(trace) if e[:3] == ("line", "average", start_line))
    stops = {}
    for command in COMMANDS:
        target = stop_after(command)[:3]
        stops[command] = next(i for i in range(start + 1, len(trace)) if trace[i][:3] == target)
    return trace, start, stops


TEXT = {
    "zh": {
        "n": "n（next）：停在本函数的下一行，add() 整个执行完",
        "s": "s（step）：进入被调用的 add()",
        "r": "r（return）：一直运行到 average() 返回",
        "c": "c（continue）：运行到下一个断点（下一轮循环的同一行）",
        "x": "sys.settrace 记录的事件（call / line / return），按执行顺序",
        "start": "起点", "stop": "停下",
    },
    "en": {
        "n": "n (next): next line of this function; add() runs in full",
        "s": "s (step): stop inside the called add()",
        "r": "r (return): run until average() returns",
        "c": "c (continue): run to the next breakpoint (same line, next pass)",
        "x": "events recorded by sys.settrace (call / line / return), in order",
        "start": "start", "stop": "stop",
    },
}
COLORS = {"n": "#1e88e5", "s": "#e53935", "r": "#8e24aa", "c": "#43a047"}


def step_commands(lang: str):
    import matplotlib.pyplot as plt

    t = TEXT[lang]
    trace, start, stops = positions()
    xs = list(range(len(trace)))
    ys = [e[3] for e in trace]
    labels = {1: "pdb_demo.py\nmain()", 2: "utils.py\naverage()", 3: "utils.py\nadd()"}
    fig, axes = plt.subplots(4, 1, figsize=(8.5, 9), sharex=True)
    for ax, command in zip(axes, COMMANDS, strict=True):
        stop, color = stops[command], COLORS[command]
        ax.plot(xs, ys, "-", color="#9e9e9e", lw=1, zorder=1)
        ax.scatter(xs, ys, s=10, color="#9e9e9e", zorder=2)
        ran = range(start, stop + 1)
        ax.plot([xs[i] for i in ran], [ys[i] for i in ran], "-", color=color, lw=2.5, zorder=3)
        ax.scatter([start], [ys[start]], s=70, color="black", zorder=4, label=t["start"])
        ax.scatter([stop], [ys[stop]], s=160, marker="*", color=color, zorder=5, label=t["stop"])
        event, func, line, _ = trace[stop]
        ax.annotate(f"{func}() line {line} ({event})", (stop, ys[stop]), xytext=(8, 8),
                    textcoords="offset points", color=color, fontsize=9)
        ax.set_title(t[command], fontsize=10, loc="left")
        ax.set_yticks(sorted(labels), [labels[d] for d in sorted(labels)], fontsize=9)
        ax.set_ylim(3.6, 0.4)
        ax.grid(axis="y", color="#e0e0e0")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel(t["x"])
    fig.tight_layout()
    return fig


FIGURES = {"step-commands": step_commands}

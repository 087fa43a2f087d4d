"""Showing a turn as it runs: progress on stderr, the answer on stdout, or JSON lines.

``LiveProgress`` (stderr is a terminal): a rich spinner per running agent with its elapsed
time, and a line per routing decision, handoff and tool call. ``PlainProgress`` (stderr is
not a terminal): the same lines, no animation. Both stream the answer's tokens to stdout as the
answering model writes them. ``JsonEvents`` (``--events``): one JSON object per event on stdout,
then one ``turn`` object, for scripts.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

from graph.messages import shorten
from graph.session import Event, Turn
from graph.supervisor import SUPERVISOR

ARGS_CHARS = 80
TASK_CHARS = 100


class Reporter(Protocol):
    def __call__(self, event: Event) -> None:
        """Show one event."""
        ...

    def finish(self, turn: Turn) -> None:
        """Show the end of the turn (whatever of the answer was not streamed yet)."""
        ...


@contextmanager
def open_reporter(
    *, events: bool = False, err: TextIO | None = None, out: TextIO | None = None
) -> Iterator[Reporter]:
    """The reporter for these streams: JSON lines, live progress on a terminal, else plain."""
    err, out = err or sys.stderr, out or sys.stdout
    if events:
        yield JsonEvents(out)
    elif err.isatty():
        with LiveProgress(err, out) as live:
            yield live
    else:
        yield PlainProgress(err, out)


class JsonEvents:
    """One JSON object per line: every event, then the turn's summary (``kind: turn``)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, event: Event) -> None:
        self._write(event.as_json())

    def finish(self, turn: Turn) -> None:
        self._write({"kind": "turn", **turn.as_json()})

    def _write(self, data: dict) -> None:
        self.out.write(json.dumps(data, default=str) + "\n")
        self.out.flush()


class PlainProgress:
    """Progress lines on ``err``; the answer on ``out``, streamed when the model streams it."""

    def __init__(self, err: TextIO, out: TextIO) -> None:
        self.err, self.out = err, out
        self.answering = SUPERVISOR  # whose tokens are the answer: decided by the route
        self.streamed = ""
        self.started: dict[str, float] = {}

    def __call__(self, event: Event) -> None:
        if event.kind == "token":
            self._token(event)
        elif event.kind == "handoff":
            self.started[event.data["to"]] = time.monotonic()
        if event.kind == "route" and len(event.data["agents"]) == 1:
            # One agent's answer stands verbatim, so its tokens are the answer as it is written.
            self.answering = event.data["agents"][0]
        line = describe(event, self._elapsed(event.agent))
        if line:
            self._line(line)

    def finish(self, turn: Turn) -> None:
        answer, streamed = turn.answer.rstrip(), self.streamed.rstrip()
        if streamed and answer.startswith(streamed):
            # The streamed text stands; only what the supervisor added after it (notes) and
            # the closing newline are still to write.
            rest = answer[len(streamed) :] + "\n"
            already = self.streamed[len(streamed) :]
            self._write_answer(rest[len(already) :] if rest.startswith(already) else rest)
        else:  # nothing streamed (offline, the supervisor's own answer) or the answer changed
            self._write_answer(("\n\n" if self.streamed else "") + answer + "\n")

    def _token(self, event: Event) -> None:
        if event.agent == self.answering:
            self.streamed += event.data["text"]
            self._write_answer(event.data["text"])

    def _write_answer(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def _line(self, line: str) -> None:
        self.err.write(line + "\n")
        self.err.flush()

    def _elapsed(self, agent: str) -> float | None:
        started = self.started.get(agent)
        return None if started is None else time.monotonic() - started


class LiveProgress(PlainProgress):
    """``PlainProgress`` with a rich spinner per running agent above the lines."""

    def __init__(self, err: TextIO, out: TextIO) -> None:
        from rich.console import Console
        from rich.live import Live

        super().__init__(err, out)
        self.console = Console(file=err)
        self.running = RunningAgents()
        self.running.start(SUPERVISOR, "routing")
        self.live = Live(self.running, console=self.console, transient=True, refresh_per_second=8)

    def __enter__(self) -> LiveProgress:
        self.live.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.live.stop()

    def __call__(self, event: Event) -> None:
        self._track(event)
        super().__call__(event)

    def _track(self, event: Event) -> None:
        if event.kind == "route":
            self.running.stop(SUPERVISOR)
        elif event.kind == "handoff":
            self.running.start(event.data["to"], "starting")
        elif event.kind == "tool_call":
            self.running.note(event.agent, event.data["name"])
        elif event.kind == "agent_done":
            self.running.stop(event.agent)
            if not self.running.agents:
                self.running.start(SUPERVISOR, "finishing")
        elif event.kind == "answer":
            self.running.agents.clear()

    def _write_answer(self, text: str) -> None:
        if self.live.is_started:
            # Answer text goes to stdout; a redrawing display on the same terminal would
            # tear through it, so the spinners stop once the answer starts.
            self.live.stop()
        super()._write_answer(text)

    def _line(self, line: str) -> None:
        if self.live.is_started:
            # Cropped to the terminal's width: wrapped lines would confuse the redraw.
            self.console.print(
                line, markup=False, highlight=False, no_wrap=True, overflow="ellipsis"
            )
        else:
            super()._line(line)


class RunningAgents:
    """A rich renderable: one spinner line per running agent, with elapsed time."""

    def __init__(self) -> None:
        self.agents: dict[str, tuple[object, float, str]] = {}

    def start(self, agent: str, activity: str) -> None:
        from rich.spinner import Spinner

        self.agents[agent] = (Spinner("dots"), time.monotonic(), activity)

    def note(self, agent: str, activity: str) -> None:
        if agent in self.agents:
            spinner, started, _ = self.agents[agent]
            self.agents[agent] = (spinner, started, activity)

    def stop(self, agent: str) -> None:
        self.agents.pop(agent, None)

    def __rich__(self):
        from rich.table import Table

        table = Table.grid(padding=(0, 1))
        for agent, (spinner, started, activity) in self.agents.items():
            spinner.update(text=f"{agent}  {time.monotonic() - started:4.1f}s  {activity}")
            table.add_row(spinner)
        return table


def describe(event: Event, elapsed: float | None = None) -> str | None:
    """One progress line for an event, or None for events shown otherwise (tokens, answer)."""
    data = event.data
    if event.kind == "route":
        target = ", ".join(data["agents"]) or "answers itself"
        return f"{event.agent} -> {target} [{data['router']}: {data['reason']}]"
    if event.kind == "handoff":
        return f"{event.agent} => {data['to']}: {_one_line(data['task'], TASK_CHARS)}"
    if event.kind == "tool_call":
        return f"{event.agent}: {data['name']}({_short_args(data['args'])})"
    if event.kind == "tool_result":
        return f"{event.agent}:   -> {data['summary']}"
    if event.kind == "agent_done":
        took = f" in {elapsed:.1f}s" if elapsed is not None else ""
        spent = ", step budget spent" if data["budget_exhausted"] else ""
        return (
            f"{event.agent}: done{took} ({data['tool_calls']} tool calls, "
            f"{data['model_calls']} model calls{spent})"
        )
    return None


def _short_args(args: dict) -> str:
    return _one_line(", ".join(f"{k}={v!r}" for k, v in args.items()), ARGS_CHARS)


def _one_line(text: str, limit: int) -> str:
    return shorten(" ".join(text.split()), limit)

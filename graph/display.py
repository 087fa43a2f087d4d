"""Terminal output: the agent table (rich on a terminal, plain text otherwise)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from graph.messages import shorten
from graph.registry import AgentSpec


def print_agents(agents: Iterable[AgentSpec], *, as_json: bool = False) -> None:
    agents = list(agents)
    if as_json:
        rows = [
            {
                "name": a.name,
                "summary": a.summary,
                "examples": len(a.examples),
                "tools": list(a.tools) if a.tools is not None else "all",
                "model": a.model or "inherit",
                "path": str(a.path),
            }
            for a in agents
        ]
        print(json.dumps(rows, indent=2))
        return
    if not sys.stdout.isatty():
        for a in agents:
            print(f"{a.name}\t{_tools(a)}\t{a.model or 'inherit'}\t{shorten(a.summary, 100)}")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(agents)} agents", show_lines=False)
    for column in ("name", "tools", "model", "what it is for"):
        table.add_column(column, overflow="fold")
    for a in agents:
        table.add_row(a.name, _tools(a), a.model or "inherit", shorten(a.summary, 160))
    Console().print(table)


def _tools(agent: AgentSpec) -> str:
    if agent.tools is None:
        return "all"
    return ", ".join(agent.tools) or "none"

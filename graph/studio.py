"""The graph that LangGraph Studio and the LangGraph server serve (see ``langgraph.json``).

``make_graph(config)`` (async, as the server wants it; ``graph_for`` is the same, synchronous)
builds the same graph as the CLI: the supervisor plus one node per agent
file, each specialist's agent loop showing as its subgraph. The server calls it with the run's
config; the agents directory comes from its ``agents_dir`` (``os.pathsep``-separated), else
``$MIXCREW_AGENTS``, else the repository's ``agents/``. Everything else a run needs (project,
model, base URL, offline, budgets) is the run's context, ``RunContext``: Studio shows it as a
form whose defaults come from the environment (``MIXCREW_PROJECT``, ``MIXCREW_MODEL``,
``OPENAI_BASE_URL``) and the bundled example project. The server brings its own checkpointer.
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import lru_cache
from pathlib import Path

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from graph.builder import build_graph
from graph.registry import default_agent_dirs, load_agents

AGENTS_DIR_KEY = "agents_dir"
logger = logging.getLogger(__name__)


async def make_graph(config: RunnableConfig) -> CompiledStateGraph:
    """The server's factory: ``graph_for`` off the event loop (it reads agent files)."""
    return await asyncio.to_thread(graph_for, config)


def graph_for(config: RunnableConfig) -> CompiledStateGraph:
    """The compiled graph for this run's agents directory (rebuilt when an agent file changes)."""
    dirs = agent_dirs(config)
    return _graph_for(tuple(dirs), _fingerprint(dirs))


def agent_dirs(config: RunnableConfig) -> list[Path]:
    configured = str((config.get("configurable") or {}).get(AGENTS_DIR_KEY) or "")
    dirs = [Path(part).expanduser() for part in configured.split(os.pathsep) if part.strip()]
    return dirs or default_agent_dirs()


@lru_cache(maxsize=8)
def _graph_for(dirs: tuple[Path, ...], _fingerprint: tuple) -> CompiledStateGraph:
    report = load_agents(list(dirs))
    for line in [*report.warnings, *report.problems]:
        logger.warning("mixcrew: %s", line)
    if not report.agents:
        where = ", ".join(str(d) for d in dirs)
        raise ValueError(f"agents directory {where}: no agent files loaded")
    return build_graph(report.agents)


def _fingerprint(dirs: list[Path]) -> tuple:
    """Each agent file's name, size and mtime: a changed file means a new graph."""
    stamps = []
    for directory in dirs:
        for path in sorted(directory.glob("*.md")) if directory.is_dir() else []:
            info = path.stat()
            stamps.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamps)

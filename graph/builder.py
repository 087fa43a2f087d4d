"""Build the graph: the supervisor plus one node per agent file.

``build_graph`` is what the CLI, notebooks and tests call; ``make_graph`` is the factory that
LangGraph Studio (``langgraph.json``) loads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from langgraph.graph import END, START, StateGraph

from graph.context import RunContext
from graph.models import ModelFactory, OpenAIModels
from graph.registry import AgentSpec, default_agent_dirs, load_agents
from graph.specialist import Specialist
from graph.state import CrewState, SpecialistInput
from graph.supervisor import SUPERVISOR, Supervisor

RESERVED_NODE_NAMES = {SUPERVISOR, START, END}


def build_graph(
    agents: Mapping[str, AgentSpec],
    *,
    models: ModelFactory | None = None,
    checkpointer: Any = None,
):
    """The compiled graph. ``models`` defaults to the product's OpenAI-compatible factory."""
    models = models or OpenAIModels()
    agents = {name: spec for name, spec in agents.items() if name not in RESERVED_NODE_NAMES}
    builder = StateGraph(CrewState, context_schema=RunContext)
    builder.add_node(SUPERVISOR, Supervisor(agents, models), destinations=(*agents, END))
    for name, spec in agents.items():
        builder.add_node(name, Specialist(spec, models), input_schema=SpecialistInput)
        builder.add_edge(name, SUPERVISOR)
    builder.add_edge(START, SUPERVISOR)
    return builder.compile(checkpointer=checkpointer, name="mixcrew")


def load_graph(
    agent_dirs: Sequence[Path] | None = None,
    *,
    models: ModelFactory | None = None,
    checkpointer: Any = None,
):
    """Load the agent files and build the graph over them (problems are skipped files)."""
    report = load_agents(list(agent_dirs) if agent_dirs else default_agent_dirs())
    return build_graph(report.agents, models=models, checkpointer=checkpointer), report

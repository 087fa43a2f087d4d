"""Build the graph: the supervisor plus one node per agent file.

``build_graph`` is what the CLI, notebooks, tests and ``graph.studio.make_graph`` (the factory
LangGraph Studio loads through ``langgraph.json``) call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langgraph.graph import END, START, StateGraph

from graph.context import RunContext
from graph.models import ModelFactory, OpenAIModels
from graph.registry import AgentSpec
from graph.specialist import Specialist
from graph.state import CrewState, SpecialistInput
from graph.supervisor import SUPERVISOR, Supervisor


def build_graph(
    agents: Mapping[str, AgentSpec],
    *,
    models: ModelFactory | None = None,
    checkpointer: Any = None,
):
    """The compiled graph. ``models`` defaults to the product's OpenAI-compatible factory."""
    models = models or OpenAIModels()
    builder = StateGraph(CrewState, context_schema=RunContext)
    builder.add_node(SUPERVISOR, Supervisor(agents, models), destinations=(*agents, END))
    for name, spec in agents.items():
        builder.add_node(name, Specialist(spec, models), input_schema=SpecialistInput)
        builder.add_edge(name, SUPERVISOR)
    builder.add_edge(START, SUPERVISOR)
    return builder.compile(checkpointer=checkpointer, name="mixcrew")

"""The graph's state: the conversation, this turn's plan and results, and how it was routed.

Values are plain TypedDicts so checkpoints stay portable JSON-like data (SQLite, PostgreSQL,
LangGraph Studio) with no custom classes to revive.
"""

from __future__ import annotations

import operator
from typing import Annotated, Literal, NotRequired

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

Router = Literal["mention", "model", "lexical", "follow-up"]


class Handoff(TypedDict):
    """One step of a plan: an agent and the task it is given."""

    agent: str
    task: str


class RouteRecord(TypedDict):
    """Which router decided this turn, what it decided, and why."""

    router: Router | None  # None: there was nothing to route to
    agents: list[str]  # empty: the supervisor answers itself
    reason: str


class ToolCallRecord(TypedDict):
    name: str
    args: dict
    summary: str  # the first line of the result, for progress and --json


class AgentResult(TypedDict):
    """What one specialist handed back for one handoff."""

    agent: str
    task: str
    answer: str
    tool_calls: list[ToolCallRecord]
    model_calls: int
    offline: bool
    budget_exhausted: bool


class CrewState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    # This turn only; the supervisor resets them (with ``Overwrite``) when a new request arrives.
    plan: NotRequired[list[Handoff]]
    parallel: NotRequired[bool]
    route: NotRequired[RouteRecord]
    results: NotRequired[Annotated[list[AgentResult], operator.add]]
    handoffs: NotRequired[int]
    notes: NotRequired[list[str]]  # caps hit, fallbacks taken: said to the user at the end


class SpecialistInput(TypedDict):
    """What a specialist node receives through ``Send``: its brief, not the whole history."""

    task: str
    request: str
    earlier: list[AgentResult]  # results of earlier sequential steps this turn

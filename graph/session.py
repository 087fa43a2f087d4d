"""A conversation with the crew: the graph, its checkpointer, and one thread.

The CLI and notebooks use this: ``stream`` yields a turn's events as they happen (routing,
handoffs, tool calls, answer tokens, each tagged with its agent); ``ask`` runs a turn and
collects its answer, route, tool calls and token usage.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from graph.context import RunContext
from graph.messages import first_line, latest_request, text_of
from graph.models import ModelFactory, OpenAIModels, model_failure, runs_offline
from graph.registry import AgentSpec
from graph.supervisor import SUPERVISOR


class PendingRunError(ValueError):
    """A new question on a thread whose last run was interrupted: one line saying what to do."""


EventKind = Literal["route", "handoff", "tool_call", "tool_result", "token", "agent_done", "answer"]


@dataclass(frozen=True)
class Event:
    """Something that happened during a turn, tagged with the agent that did it.

    ``route``: the supervisor's decision (router, agents, reason). ``handoff``: the supervisor
    hands a task to an agent (to, task). ``tool_call`` (name, args) and ``tool_result`` (name,
    summary). ``token``: answer text as the model produces it (text). ``agent_done``: an agent
    finished its handoff (tool_calls, model_calls, offline, budget_exhausted). ``answer``: the
    turn's final answer (text), always the last event.
    """

    kind: EventKind
    agent: str
    data: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"kind": self.kind, "agent": self.agent, **self.data}


@dataclass
class Turn:
    """What one request produced."""

    thread_id: str
    answer: str
    route: dict
    results: list[dict] = field(default_factory=list)
    token_usage: dict = field(default_factory=dict)
    offline: bool = False

    def as_json(self) -> dict:
        data = asdict(self)
        data["handoffs"] = [
            {k: r[k] for k in ("agent", "task", "model_calls", "budget_exhausted")}
            for r in self.results
        ]
        data["tool_calls"] = [
            {"agent": r["agent"], **call} for r in self.results for call in r["tool_calls"]
        ]
        return data


@dataclass
class Session:
    graph: Any
    ctx: RunContext
    thread_id: str
    models: ModelFactory

    @classmethod
    @contextmanager
    def open(
        cls,
        agents: Mapping[str, AgentSpec],
        ctx: RunContext,
        *,
        checkpoint: str | None = None,
        thread: str | None = None,
        models: ModelFactory | None = None,
    ) -> Iterator[Session]:
        from graph.builder import build_graph
        from graph.checkpoints import open_checkpointer

        models = models or OpenAIModels()
        with open_checkpointer(checkpoint) as saver:
            graph = build_graph(agents, models=models, checkpointer=saver)
            yield cls(graph, ctx, thread or uuid.uuid4().hex[:12], models)

    @property
    def config(self) -> dict:
        return {"configurable": {"thread_id": self.thread_id}}

    @property
    def offline(self) -> bool:
        return runs_offline(self.ctx, self.models)

    def has_history(self) -> bool:
        """Whether this thread holds a saved conversation (a new thread id holds none)."""
        return bool(self.graph.get_state(self.config).values)

    def interrupted_request(self) -> str | None:
        """The request of this thread's last run if it stopped midway (killed, Ctrl-C)."""
        state = self.graph.get_state(self.config)
        if not state.next:
            return None
        return latest_request(state.values["messages"])

    def _graph_input(self, question: str) -> dict | None:
        """A new turn for ``question``; ``None`` (continue from the last checkpoint) when the
        thread's last run of the same question was interrupted."""
        pending = self.interrupted_request()
        if pending is None:
            return {"messages": [HumanMessage(question)]}
        if pending.strip() == question.strip():
            return None
        raise PendingRunError(
            f"thread {self.thread_id} stopped in the middle of {first_line(pending, 80)!r}; "
            "ask that question again to finish it, or start a new thread"
        )

    def stream(self, question: str) -> Iterator[Event]:
        """Run one turn, yielding what happens as it happens; the last event is the answer.

        Every step is saved before the next starts (``durability="sync"``), so a killed run
        continues where it stopped when the same question is asked again on its thread.
        """
        parts = self.graph.stream(
            self._graph_input(question),
            self.config,
            context=self.ctx,
            stream_mode=["tasks", "updates", "messages", "custom"],
            subgraphs=True,
            version="v2",
            durability="sync",
        )
        try:
            for part in parts:
                yield from events_of(part)
        except Exception as error:
            failure = model_failure(error, self.ctx)
            if failure is None:
                raise
            raise failure from error
        final = self.graph.get_state(self.config).values["messages"][-1]
        yield Event("answer", final.name or SUPERVISOR, {"text": text_of(final)})

    def ask(self, question: str, on_event: Callable[[Event], None] | None = None) -> Turn:
        """Run one turn to the end; ``on_event`` sees every event on the way."""
        from langchain_core.callbacks import get_usage_metadata_callback

        with get_usage_metadata_callback() as usage:
            for event in self.stream(question):
                if on_event is not None:
                    on_event(event)
        values = self.graph.get_state(self.config).values
        return Turn(
            thread_id=self.thread_id,
            answer=text_of(values["messages"][-1]),
            route=dict(values.get("route", {})),
            results=[dict(r) for r in values.get("results", [])],
            token_usage={model: dict(u) for model, u in usage.usage_metadata.items()},
            offline=self.offline,
        )


def events_of(part: dict) -> Iterator[Event]:
    """The events in one part of ``graph.stream(..., subgraphs=True, version="v2")``."""
    namespace: tuple[str, ...] = part["ns"]
    agent = namespace[0].split(":")[0] if namespace else None
    kind, data = part["type"], part["data"]
    if kind == "tasks" and agent is None:
        yield from _handoff_events(data)
    elif kind == "updates":
        for node, change in data.items():
            if isinstance(change, dict):
                yield from _update_events(agent or node, change, inside_agent=agent is not None)
    elif kind == "messages":
        yield from _token_events(agent, *data)
    elif kind == "custom" and isinstance(data, dict) and data.get("kind") in _CUSTOM_KINDS:
        payload = {k: v for k, v in data.items() if k not in ("kind", "agent")}
        yield Event(data["kind"], data["agent"], payload)


_CUSTOM_KINDS = {"tool_call", "tool_result"}  # what graph/briefing.py writes offline


def _handoff_events(task: dict) -> Iterator[Event]:
    """A specialist task starting in the top graph is a handoff (``Send``) from the supervisor."""
    brief = task.get("input")
    if "result" not in task and task["name"] != SUPERVISOR and isinstance(brief, dict):
        yield Event("handoff", SUPERVISOR, {"to": task["name"], "task": brief.get("task", "")})


def _update_events(agent: str, change: dict, *, inside_agent: bool) -> Iterator[Event]:
    if inside_agent:
        yield from _tool_events(agent, change.get("messages", []))
    elif agent == SUPERVISOR:
        if "route" in change:
            yield Event("route", SUPERVISOR, dict(change["route"]))
    else:
        for result in change.get("results", []):
            yield Event("agent_done", agent, _result_summary(result))


def _tool_events(agent: str, messages: list) -> Iterator[Event]:
    """Tool calls and results inside a specialist's agent loop."""
    for message in messages:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                yield Event("tool_call", agent, {"name": call["name"], "args": call["args"]})
        elif isinstance(message, ToolMessage):
            summary = first_line(text_of(message))
            yield Event("tool_result", agent, {"name": message.name, "summary": summary})


def _token_events(agent: str | None, message: Any, metadata: dict) -> Iterator[Event]:
    """Text as a model produces it; messages that nodes return (not model output) are skipped."""
    text = text_of(message)
    if text and "ls_model_type" in metadata:
        yield Event("token", agent or metadata.get("langgraph_node", SUPERVISOR), {"text": text})


def _result_summary(result: dict) -> dict:
    return {
        "tool_calls": len(result["tool_calls"]),
        "model_calls": result["model_calls"],
        "offline": result["offline"],
        "budget_exhausted": result["budget_exhausted"],
    }

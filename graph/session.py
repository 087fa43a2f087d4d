"""A conversation with the crew: the graph, its checkpointer, and one thread.

The CLI and notebooks use this; it streams a turn, reports progress, and collects the turn's
answer, route, tool calls and token usage.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from graph.context import RunContext
from graph.messages import first_line, text_of
from graph.models import ModelFactory, OpenAIModels
from graph.registry import AgentSpec

Progress = Callable[[str], None]


class ModelFailure(RuntimeError):
    """The model endpoint failed for good (after retries): one line naming what and where."""


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
        return (
            self.ctx.offline
            if self.ctx.offline is not None
            else not self.models.available(self.ctx)
        )

    def ask(self, question: str, progress: Progress | None = None) -> Turn:
        from langchain_core.callbacks import get_usage_metadata_callback

        request = {"messages": [HumanMessage(question)]}
        with get_usage_metadata_callback() as usage:
            try:
                self._stream(request, progress)
            except Exception as error:
                failure = _as_model_failure(error, self.ctx)
                if failure is None:
                    raise
                raise failure from error
        values = self.graph.get_state(self.config).values
        return Turn(
            thread_id=self.thread_id,
            answer=text_of(values["messages"][-1]),
            route=dict(values.get("route", {})),
            results=[dict(r) for r in values.get("results", [])],
            token_usage={model: dict(u) for model, u in usage.usage_metadata.items()},
            offline=self.offline,
        )

    def _stream(self, request: dict, progress: Progress | None) -> None:
        chunks = self.graph.stream(
            request, self.config, context=self.ctx, stream_mode="updates", subgraphs=True
        )
        for namespace, update in chunks:
            if progress is None:
                continue
            for line in _progress_lines(namespace, update):
                progress(line)


def _progress_lines(namespace: tuple[str, ...], update: dict) -> Iterator[str]:
    agent = namespace[0].split(":")[0] if namespace else None
    for node, change in update.items():
        if not isinstance(change, dict):
            continue
        if node == "supervisor" and "route" in change:
            route = change["route"]
            target = ", ".join(route["agents"]) or "answers itself"
            yield f"supervisor -> {target} [{route['router']}: {route['reason']}]"
        for message in change.get("messages", []) if agent else []:
            if isinstance(message, AIMessage):
                for call in message.tool_calls:
                    yield f"{agent}: {call['name']}({_short_args(call['args'])})"
            elif isinstance(message, ToolMessage):
                yield f"{agent}:   -> {first_line(text_of(message), 100)}"


def _short_args(args: dict) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return text if len(text) <= 80 else text[:77] + "..."


def _as_model_failure(error: Exception, ctx: RunContext) -> ModelFailure | None:
    """Endpoint faults become one clear line; anything else (None) stays a bug to see."""
    from langgraph.errors import GraphRecursionError

    endpoint = ctx.base_url or "https://api.openai.com/v1"
    if isinstance(error, GraphRecursionError):
        return ModelFailure(f"the run took too many steps and was stopped ({error})")
    try:
        import openai
    except ImportError:  # pragma: no cover - langchain-openai always brings it
        return None
    if isinstance(error, openai.APITimeoutError):
        fault = "the request timed out"
    elif isinstance(error, openai.APIConnectionError):
        fault = "the endpoint cannot be reached"
    elif isinstance(error, openai.APIStatusError):
        fault = f"HTTP {error.status_code}: {first_line(str(error.message), 160)}"
    elif isinstance(error, openai.OpenAIError):
        fault = first_line(str(error), 160)
    else:
        return None
    return ModelFailure(f"model {ctx.model!r} at {endpoint} failed: {fault}")

"""Offline mode: a specialist without a language model still does real work.

It picks read-only tools from the words of the request, runs them on the project, and hands
back their findings as a factual briefing with file:line references, headed plainly as
produced without a language model. Nothing here imitates a model's prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from graph.messages import first_line
from graph.registry import AgentSpec
from graph.state import AgentResult, SpecialistInput, ToolCallRecord

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

OVERVIEW_TOOL = "mix_project"
UNTRUSTED_MARKER = "untrusted project content from "
MAX_TOOLS = 4  # the overview plus up to three topic tools

# Request words -> the tool that answers them. Order matters: earlier topics win when more
# than MAX_TOOLS match.
_TOPICS: list[tuple[str, tuple[str, ...]]] = [
    (
        "liveviews",
        (
            "liveview",
            "live view",
            "live_view",
            "mount",
            "handle_event",
            "heex",
            "component",
            "phx-",
            "stream",
            "template",
            "ui",
        ),
    ),
    (
        "pubsub_and_channels",
        (
            "pubsub",
            "broadcast",
            "subscribe",
            "channel",
            "presence",
            "topic",
            "real-time",
            "realtime",
            "websocket",
            "socket",
            "push",
        ),
    ),
    (
        "phoenix_routes",
        (
            "route",
            "router",
            "url",
            "path",
            "endpoint",
            "pipeline",
            "scope",
            "controller",
            "plug",
            "live_session",
            "on_mount",
        ),
    ),
    ("oban_jobs", ("oban", "job", "worker", "queue", "cron", "background", "schedule")),
    ("absinthe_schema", ("graphql", "absinthe", "resolver", "mutation", "subscription")),
    (
        "ecto_schemas",
        (
            "ecto",
            "schema",
            "migration",
            "changeset",
            "table",
            "database",
            "repo",
            "validation",
            "validate",
            "association",
            "field",
        ),
    ),
    (
        "otp_tree",
        (
            "supervisor",
            "supervision",
            "genserver",
            "otp",
            "process",
            "application",
            "registry",
            "cluster",
            "libcluster",
            "horde",
            "node",
            "children",
        ),
    ),
    ("mix_config", ("config", "configuration", "environment", "env", "setting", "runtime.exs")),
    (
        "mix_deps",
        (
            "dep",
            "dependency",
            "dependencies",
            "version",
            "upgrade",
            "mix.lock",
            "hex",
            "package",
            "library",
        ),
    ),
    ("elixir_modules", ("module", "modules", "function", "defined", "callback")),
]
_MODULE_NAME = re.compile(r"\b([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+)\b")


def plan_tool_calls(request: str, available: Sequence[str]) -> list[tuple[str, dict]]:
    """Which tools to run, with their arguments, for this request."""
    lowered = request.lower()
    plan: list[tuple[str, dict]] = []
    if OVERVIEW_TOOL in available:
        plan.append((OVERVIEW_TOOL, {}))
    for module in dict.fromkeys(_MODULE_NAME.findall(request)):
        if "find_module" in available and len(plan) < MAX_TOOLS:
            plan.append(("find_module", {"name": module}))
    for tool, words in _TOPICS:
        if len(plan) >= MAX_TOOLS:
            break
        if tool in available and any(word in lowered for word in words):
            plan.append((tool, {}))
    if len(plan) <= 1 and "elixir_modules" in available:
        plan.append(("elixir_modules", {}))
    return plan


def offline_briefing(
    spec: AgentSpec, handoff: SpecialistInput, tools: Sequence[BaseTool], project_root: Path
) -> AgentResult:
    by_name = {tool.name: tool for tool in tools}
    plan = plan_tool_calls(handoff["request"], list(by_name))
    records: list[ToolCallRecord] = []
    sections: list[str] = []
    emit = _stream_writer()
    for name, args in plan:
        emit({"kind": "tool_call", "agent": spec.name, "name": name, "args": args})
        output = _without_untrusted_marker(_run(by_name[name], args))
        summary = first_line(output)
        records.append(ToolCallRecord(name=name, args=args, summary=summary))
        emit({"kind": "tool_result", "agent": spec.name, "name": name, "summary": summary})
        sections.append(f"### {name}{_format_args(args)}\n{output.strip()}")
    header = (
        f"Offline briefing from {spec.name}, produced without a language model (no model is "
        f"configured, or --offline was given). It ran {len(records)} read-only tool(s) on "
        f"{project_root} for: {handoff['task']!r}. These are the facts found; interpreting them "
        "needs a model (set OPENAI_API_KEY or --base-url)."
    )
    if not records:
        sections.append("This agent has no project tools, so there is nothing to report offline.")
    return AgentResult(
        agent=spec.name,
        task=handoff["task"],
        answer="\n\n".join([header, *sections]),
        tool_calls=records,
        model_calls=0,
        offline=True,
        budget_exhausted=False,
    )


def _stream_writer() -> Callable[[dict], None]:
    """The run's custom stream (progress events); a no-op when called outside a graph run."""
    from langgraph.config import get_stream_writer

    try:
        return get_stream_writer()
    except RuntimeError:
        return lambda _event: None


def _run(tool: BaseTool, args: dict) -> str:
    try:
        return str(tool.invoke(args))
    except Exception as error:  # a tool failing must not hide what the others found
        return f"error: {tool.name} failed: {error}"


def _without_untrusted_marker(output: str) -> str:
    """The marker tells a model the text is data; a briefing read by a person needs no marker."""
    first, newline, rest = output.partition("\n")
    return rest if newline and first.startswith(UNTRUSTED_MARKER) else output


def _format_args(args: dict) -> str:
    return "(" + ", ".join(f"{k}={v!r}" for k, v in args.items()) + ")" if args else ""

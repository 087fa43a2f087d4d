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

from graph.code_mentions import FunctionReads, code_lookups
from graph.messages import first_line
from graph.registry import AgentSpec
from graph.state import AgentResult, SpecialistInput, ToolCallRecord
from graph.toolbox import OVERVIEW_TOOL
from graph.topics import topic_calls
from tools.untrusted import UNTRUSTED_MARKER

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

MAX_TOOLS = 4  # the overview plus up to three more


def plan_tool_calls(
    request: str,
    available: Sequence[str],
    names: frozenset[str] = frozenset(),
    configured: Callable[[str], bool] = lambda word: False,
) -> list[tuple[str, dict]]:
    """Which tools to run, with their arguments, for this request; ``names`` are those of the
    project's code (``Toolset.names``), so the code the request names is read first, and
    ``configured`` tells the words that name something its config sets (``configured_in``)."""
    plan: list[tuple[str, dict]] = []
    if OVERVIEW_TOOL in available:
        plan.append((OVERVIEW_TOOL, {}))
    plan += [call for call in code_lookups(request, names) if call[0] in available]
    topics = topic_calls(request, configured, room=MAX_TOOLS - len(plan))
    plan += [call for call in topics if call[0] in available]
    if len(plan) <= 1 and "elixir_modules" in available:
        plan.append(("elixir_modules", {}))
    words = _salient_words(request)
    if len(plan) <= 1 and words and "search_code" in available:
        # No fact tool answers it: look for the request's own words in the project.
        pattern = "(?i)" + "|".join(map(re.escape, words))
        plan.append(("search_code", {"regex": pattern, "glob": "**/*"}))
    return plan[:MAX_TOOLS]


def _salient_words(request: str, count: int = 3) -> list[str]:
    """The longest words of the request that are not stop words (the likeliest to be named in
    the project), stemmed so that "probes" also finds "probe"."""
    from graph.routing import analyse

    return sorted(set(analyse(request)), key=lambda word: (-len(word), word))[:count]


def offline_briefing(
    spec: AgentSpec,
    handoff: SpecialistInput,
    tools: Sequence[BaseTool],
    project_root: Path,
    names: frozenset[str] = frozenset(),
    configured: Callable[[str], bool] = lambda word: False,
) -> AgentResult:
    by_name = {tool.name: tool for tool in tools}
    plan = plan_tool_calls(handoff["task"], list(by_name), names, configured)
    records: list[ToolCallRecord] = []
    sections: list[str] = []
    function_reads = FunctionReads()
    emit = stream_writer()
    for name, args in plan:
        if function_reads.show((name, args)):
            continue  # a trace's frame whose function was read: its line is shown there
        emit({"kind": "tool_call", "agent": spec.name, "name": name, "args": args})
        output = _run(by_name[name], args)
        function_reads.note(name, output)
        output = _without_untrusted_marker(output)
        summary = first_line(output)
        records.append(ToolCallRecord(name=name, args=args, summary=summary))
        emit({"kind": "tool_result", "agent": spec.name, "name": name, "summary": summary})
        # Blank lines go, but not the first line's indent: numbered source lines align.
        body = output.rstrip().lstrip("\n")
        sections.append(f"### {name}{_format_args(args)}\n{body}")
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


def stream_writer() -> Callable[[dict], None]:
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

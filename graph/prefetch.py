"""Read what a handoff's task names before the model's first call.

A task such as "which Oban jobs run on a cron schedule?" starts with the model calling
``oban_jobs``: a full model round trip (system prompt, tool schemas, the brief) spent on
choosing a call that the task's own words already name. The specialist makes such a call
itself and hands the model its result as a tool call already made, so the model starts from
the facts and calls only what they leave open.

Only what the task names without doubt is read: the project's code it names (a module, a
function, a source path; at most ``PREFETCH_MAX``), or else the fact tool of its one topic.
A task of several topics is left to the model, which can call them together in one step.
A lookup that fails is dropped, not shown to the model as an error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.runnables import RunnableConfig

from graph.briefing import stream_writer
from graph.code_mentions import FunctionReads, code_lookups
from graph.messages import first_line, text_of
from graph.topics import topic_calls

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

PREFETCH_MAX = 2
PREFETCH_KEY = "mixcrew_prefetch"  # marks the tool-call message the specialist wrote itself


def prefetch_calls(
    task: str,
    available: Sequence[str],
    names: frozenset[str],
    configured: Callable[[str], bool] = lambda word: False,
) -> list[tuple[str, dict]]:
    """The calls the task names without doubt: the project's code it names, or else the fact
    tool of its one topic (a task of several topics is left to the model to survey). Config
    asked of configured things is one topic: mix_config, filtered by them (``topic_calls``)."""
    calls = code_lookups(task, names, known_only=True)
    topics = topic_calls(task, configured, room=PREFETCH_MAX)
    if not calls and len({tool for tool, _ in topics}) == 1:
        calls = topics
    return [call for call in calls if call[0] in available][:PREFETCH_MAX]


def prefetch(
    agent: str,
    task: str,
    tools: Sequence[BaseTool],
    names: frozenset[str],
    configured: Callable[[str], bool],
    config: RunnableConfig,
) -> list[BaseMessage]:
    """The task's named calls, made: one tool-call message and the results that answer it
    (no messages when the task names nothing or every lookup fails)."""
    by_name = {tool.name: tool for tool in tools}
    planned = prefetch_calls(task, list(by_name), names, configured)
    answered: list[tuple[dict, ToolMessage]] = []
    function_reads = FunctionReads()
    emit = stream_writer()
    for index, (name, args) in enumerate(planned):
        if function_reads.show((name, args)):
            continue  # a trace's frame whose function was read: its line is shown there
        call = {"name": name, "args": args, "id": f"prefetch_{index}", "type": "tool_call"}
        emit({"kind": "tool_call", "agent": agent, "name": name, "args": args})
        result = _invoke(by_name[name], call, config)
        output = text_of(result) if result is not None else f"error: {name} failed"
        function_reads.note(name, output)
        emit({"kind": "tool_result", "agent": agent, "name": name, "summary": first_line(output)})
        if result is not None and not output.startswith("error: "):
            answered.append((call, result))
    if not answered:
        return []
    calls = [call for call, _ in answered]
    made = AIMessage(content="", tool_calls=calls, additional_kwargs={PREFETCH_KEY: True})
    return [made, *(result for _, result in answered)]


def _invoke(tool: BaseTool, call: dict, config: RunnableConfig) -> ToolMessage | None:
    try:
        return tool.invoke(call, config)
    except Exception:  # a lookup the model did not ask for must never fail its handoff
        return None


def is_prefetch(message: BaseMessage) -> bool:
    """Whether ``message`` is the specialist's own tool-call message, not the model's."""
    return bool(message.additional_kwargs.get(PREFETCH_KEY))

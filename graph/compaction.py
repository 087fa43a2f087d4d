"""Keep a specialist's loop cheap: results the model has already used are resent trimmed.

Every model call of a tool loop resends the whole conversation. A tool result that the model
has already seen and acted on (an AI message follows it) is resent only up to
``USED_RESULT_CHARS``, with a note saying how to see the rest again; the newest results stay
whole. Our tools put the most useful lines first, so the head is what a later step needs.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain.agents.middleware import ModelRequest, ModelResponse, wrap_model_call
from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from graph.messages import text_of

USED_RESULT_CHARS = 1500


@wrap_model_call
def trim_used_tool_results(
    request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
) -> ModelResponse:
    return handler(request.override(messages=trimmed_history(request.messages)))


def trimmed_history(messages: list[AnyMessage]) -> list[AnyMessage]:
    last_ai = max((i for i, m in enumerate(messages) if isinstance(m, AIMessage)), default=-1)
    return [
        _trimmed(message) if isinstance(message, ToolMessage) and index < last_ai else message
        for index, message in enumerate(messages)
    ]


def _trimmed(result: ToolMessage) -> ToolMessage:
    text = text_of(result)
    if len(text) <= USED_RESULT_CHARS:
        return result
    head = text[:USED_RESULT_CHARS].rsplit("\n", 1)[0]
    note = (
        f"\n… [{len(text) - len(head)} more characters, seen in full earlier; "
        f"call {result.name or 'the tool'} again to see them]"
    )
    return result.model_copy(update={"content": head + note})

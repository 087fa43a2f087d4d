"""The limits of one specialist's tool loop, checked around each model call.

A handoff may make ``budget`` model calls. Failed tool calls go back to the model as tool
errors so it can correct itself, until ``MAX_TOOL_ERRORS`` have failed. Past either limit the
model is not called again: the loop ends on a stop message that says which limit it reached.

Both checks wrap the model call instead of adding ``before_model``/``after_model`` hooks:
each hook is one more graph step, with its checkpoint, on every model call, and those steps
were most of the loop's own overhead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from graph.messages import first_line
from graph.prefetch import is_prefetch

MAX_TOOL_ERRORS = 3  # failed tool calls per handoff; at this many the loop stops
STOP_KEY = "mixcrew_stop"  # a stop message's additional_kwargs: which limit ended the loop

StopReason = Literal["budget", "tool_errors"]


class LoopLimits(AgentMiddleware):
    """A step budget and a bound on failed tool calls for one agent loop."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        # Replies whose every tool call is unparsable would end the loop with no answer (the
        # tool node only runs parsed calls), so they are answered here and the model asked again.
        produced: list[AnyMessage] = []
        while True:
            messages = [*request.messages, *produced]
            reason = self._stop_reason(messages)
            if reason is not None:
                return ModelResponse(result=[*produced, stop_message(reason)])
            response = handler(request.override(messages=messages))
            reply = response.result[-1]
            if not isinstance(reply, AIMessage) or reply.tool_calls or not reply.invalid_tool_calls:
                return ModelResponse(
                    result=[*produced, *response.result],
                    structured_response=response.structured_response,
                )
            produced += [reply, *_unparsable_call_errors(reply)]

    def _stop_reason(self, messages: list[AnyMessage]) -> StopReason | None:
        model_calls = sum(1 for m in messages if isinstance(m, AIMessage) and not is_prefetch(m))
        if model_calls >= self.budget:
            return "budget"
        failed = sum(1 for m in messages if isinstance(m, ToolMessage) and m.status == "error")
        return "tool_errors" if failed >= MAX_TOOL_ERRORS else None


def stop_message(reason: StopReason) -> AIMessage:
    return AIMessage(content="", additional_kwargs={STOP_KEY: reason})


def stop_reason(message: AIMessage) -> StopReason | None:
    """Which limit ended the loop, when ``message`` is the stop message."""
    return message.additional_kwargs.get(STOP_KEY)


def _unparsable_call_errors(reply: AIMessage) -> list[ToolMessage]:
    return [
        ToolMessage(
            content=f"error: the arguments of {call.get('name') or 'this call'} are not a valid "
            f"JSON object ({first_line(call.get('error') or 'unparsable', 160)}); call again "
            "with valid JSON arguments",
            tool_call_id=call.get("id") or "",
            name=call.get("name") or "unknown",
            status="error",
        )
        for call in reply.invalid_tool_calls
    ]

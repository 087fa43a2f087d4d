"""A scripted chat model for tests: it answers from a script and records every call.

It supports ``bind_tools`` and ``with_structured_output`` (through LangChain's own
function-calling path), and it is injected through the product's model factory interface,
so the graph under test is the real one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

Step = AIMessage | Exception | Callable[[list[BaseMessage]], AIMessage]
_ids = itertools.count(1)


def say(text: str) -> AIMessage:
    return AIMessage(content=text)


def call(tool: str, **args: Any) -> AIMessage:
    """A reply that calls one tool."""
    return AIMessage(
        content="", tool_calls=[{"name": tool, "args": args, "id": f"call_{next(_ids)}"}]
    )


def route(
    *handoffs: tuple[str, str], reason: str = "scripted", parallel: bool = True, answer: str = ""
) -> AIMessage:
    """A supervisor RoutingDecision, as a model answering with function calling would."""
    args = {
        "reason": reason,
        "handoffs": [{"agent": a, "task": t} for a, t in handoffs],
        "parallel": parallel,
        "answer": answer,
    }
    return call("RoutingDecision", **args)


@dataclass
class Script:
    """The shared script and call log of every model the factory hands out."""

    steps: list[Step]
    calls: list[dict] = field(
        default_factory=list
    )  # {"model": id, "messages": [...], "tools": [...]}

    def next_reply(
        self, model_id: str, messages: list[BaseMessage], tools: list[dict]
    ) -> AIMessage:
        names = [t["function"]["name"] for t in tools]
        self.calls.append({"model": model_id, "messages": list(messages), "tools": names})
        if not self.steps:
            raise AssertionError(f"the script ran out at call {len(self.calls)} ({model_id})")
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        reply = step(messages) if callable(step) and not isinstance(step, AIMessage) else step
        return reply.model_copy(deep=True)


class ScriptedChatModel(BaseChatModel):
    """Answers from ``script``: anything with ``next_reply(model_id, messages, tool_schemas)``,
    a ``Script`` here or the economy benchmark's ``Recorder`` (bench/scripted.py)."""

    script: Any = Field(repr=False, exclude=True)  # the call log would bloat every repr
    model_id: str = "scripted"

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any):
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        reply = self.script.next_reply(self.model_id, messages, kwargs.get("tools", []))
        chars = sum(len(str(m.content)) for m in messages)
        reply.usage_metadata = {
            "input_tokens": chars // 4,
            "output_tokens": len(str(reply.content)) // 4 + 1,
            "total_tokens": chars // 4 + len(str(reply.content)) // 4 + 1,
        }
        reply.response_metadata = {"model_name": self.model_id}
        return ChatResult(generations=[ChatGeneration(message=reply)])


@dataclass
class ScriptedModels:
    """A ``ModelFactory`` handing out scripted models that share one script."""

    script: Script

    @classmethod
    def of(cls, *steps: Step) -> ScriptedModels:
        return cls(Script(list(steps)))

    @property
    def calls(self) -> list[dict]:
        return self.script.calls

    def available(self, ctx: Any) -> bool:
        return True

    def __call__(self, model_id: str, ctx: Any) -> ScriptedChatModel:
        return ScriptedChatModel(script=self.script, model_id=model_id)

"""A zero-latency scripted chat model that records every call, for the economy benchmark.

The chat model is the tests' (``tests/scripted_model.py``), but instead of a fixed script its
replies come from a *policy*: a function of the messages and tool schemas a call receives, run
by a ``Recorder`` that logs each call. The same policy can then drive two different graphs
(mixcrew and langgraph-supervisor) through the same task, and each graph pays for exactly the
calls its own design makes. Tokens are counted afterwards with o200k_base from the
``bpe-openai`` package (its BPE file ships inside the wheel: nothing is downloaded).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage

from graph.messages import text_of
from tests.scripted_model import ScriptedChatModel

# OpenAI's chat format costs about 3 tokens of framing per message and 3 to prime the reply.
_TOKENS_PER_MESSAGE = 3
_TOKENS_PER_REPLY = 3

Policy = Callable[[list[BaseMessage], list[dict]], AIMessage]


@dataclass
class ModelCall:
    """One call as the model received it: messages, bound tool schemas, the reply, its time."""

    messages: list[BaseMessage]
    tools: list[dict]
    reply: AIMessage
    seconds: float

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.tools]

    def input_parts(self) -> dict[str, int]:
        """Input tokens by what carries them: tool schemas, system prompt, tool results, rest."""
        parts = {"tool schemas": count_tokens(json.dumps(self.tools)) if self.tools else 0}
        for message in self.messages:
            part = {"system": "system prompts", "tool": "tool results"}.get(message.type, "other")
            parts[part] = parts.get(part, 0) + _message_tokens(message)
        parts["other"] = parts.get("other", 0) + _TOKENS_PER_REPLY
        return parts

    def input_tokens(self) -> int:
        """Every message of the call plus the tool schemas, as an OpenAI request would send."""
        return sum(self.input_parts().values())

    def output_tokens(self) -> int:
        return count_tokens(text_of(self.reply)) + _tool_call_tokens(self.reply)


@dataclass
class Recorder:
    """The policy shared by every model a factory hands out, and the log of their calls."""

    # Neither is shown in repr: LangChain's tracing serializes models, and with them this.
    policy: Policy = field(repr=False)
    calls: list[ModelCall] = field(default_factory=list, repr=False)

    def next_reply(
        self, model_id: str, messages: list[BaseMessage], tools: list[dict]
    ) -> AIMessage:
        started = time.perf_counter()
        reply = self.policy(messages, tools)
        self.calls.append(ModelCall(list(messages), tools, reply, time.perf_counter() - started))
        return reply.model_copy(deep=True)


@dataclass
class RecordingModels:
    """A ``ModelFactory`` (graph.models) whose models all answer from one recorder: the tests'
    scripted chat model, with the recorder in place of a fixed script."""

    recorder: Recorder

    def available(self, ctx: Any) -> bool:
        return True

    def __call__(self, model_id: str, ctx: Any) -> ScriptedChatModel:
        return ScriptedChatModel(script=self.recorder, model_id=model_id)


@lru_cache(maxsize=1)
def _encoding():
    import bpe_openai

    return bpe_openai.get_encoding("o200k_base")


def count_tokens(text: str) -> int:
    """o200k_base tokens in ``text`` (special-token look-alikes counted as plain text)."""
    return len(_encoding().encode_ordinary(text)) if text else 0


def _message_tokens(message: BaseMessage) -> int:
    tokens = _TOKENS_PER_MESSAGE + count_tokens(message.type) + count_tokens(text_of(message))
    if message.name:
        tokens += count_tokens(message.name) + 1
    return tokens + _tool_call_tokens(message)


def _tool_call_tokens(message: BaseMessage) -> int:
    calls = getattr(message, "tool_calls", None) or []
    return sum(count_tokens(c["name"]) + count_tokens(json.dumps(c["args"])) for c in calls)

"""The model factory: which chat model an agent talks to.

Every model in the product comes from a ``ModelFactory``. The product's own is
``OpenAIModels`` (any OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp, LM Studio);
tests inject a scripted factory through the same door.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from graph.messages import first_line

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from graph.context import RunContext

ALIASES_ENV = "MIXCREW_MODEL_ALIASES"
TIMEOUT_ENV = "MIXCREW_TIMEOUT"  # seconds per model request
MAX_RETRIES_ENV = "MIXCREW_MAX_RETRIES"  # retries of a failed request (429, 5xx, timeouts)
CLAUDE_ALIASES = ("sonnet", "opus", "haiku")


class ModelFactory(Protocol):
    def available(self, ctx: RunContext) -> bool:
        """Whether a model can be reached at all (else the run is offline)."""
        ...

    def __call__(self, model_id: str, ctx: RunContext) -> BaseChatModel:
        """A chat model for ``model_id`` under the run's settings."""
        ...


def runs_offline(ctx: RunContext, models: ModelFactory) -> bool:
    """``--offline`` (or its absence) decides; left unsaid, a run is offline without a model."""
    return ctx.offline if ctx.offline is not None else not models.available(ctx)


def alias_table(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``MIXCREW_MODEL_ALIASES="opus=gpt-4.1,haiku=gpt-4.1-nano"``; unset aliases inherit."""
    table: dict[str, str] = {}
    for item in env.get(ALIASES_ENV, "").split(","):
        alias, sep, model_id = item.partition("=")
        if sep and alias.strip() and model_id.strip():
            table[alias.strip().lower()] = model_id.strip()
    return table


def resolve_model_id(agent_model: str | None, run_model: str, aliases: Mapping[str, str]) -> str:
    """An agent's ``model:`` frontmatter as a concrete model id.

    ``inherit`` (or nothing) is the run's model; ``sonnet``/``opus``/``haiku`` go through the
    alias table and inherit when it has no entry; anything else is a model id as written.
    """
    wanted = (agent_model or "inherit").strip()
    if wanted.lower() == "inherit":
        return run_model
    if wanted.lower() in CLAUDE_ALIASES:
        return aliases.get(wanted.lower(), run_model)
    return wanted


def _env_number(name: str, default: float, kind: type[int] | type[float]) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"${name}={raw!r}: not a {kind.__name__}") from None
    if value < 0:
        raise ValueError(f"${name}={raw!r}: must not be negative")
    return value


def _env_timeout() -> float:
    return _env_number(TIMEOUT_ENV, 60.0, float)


def _env_max_retries() -> int:
    return int(_env_number(MAX_RETRIES_ENV, 3, int))


@dataclass(frozen=True)
class OpenAIModels:
    """ChatOpenAI against the configured endpoint, with retries and a request timeout.

    Defaults come from ``MIXCREW_TIMEOUT`` and ``MIXCREW_MAX_RETRIES``; a bad value raises
    ``ValueError`` naming the variable.
    """

    timeout_s: float = field(default_factory=_env_timeout)
    max_retries: int = field(default_factory=_env_max_retries)

    def available(self, ctx: RunContext) -> bool:
        return bool(os.environ.get("OPENAI_API_KEY") or ctx.base_url)

    def __call__(self, model_id: str, ctx: RunContext) -> BaseChatModel:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=model_id,
            base_url=ctx.base_url,
            http_client=_checked_http_client(),
            # Local servers (Ollama, llama.cpp) accept any key; the client insists on one.
            api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",
            timeout=self.timeout_s,
            max_retries=self.max_retries,
            stream_usage=True,
        )


def _checked_http_client():
    """An HTTP client that turns a 200 web page (a proxy, a wrong base URL) into a connection
    error with a clear reason, instead of an unparsable reply failing deep inside LangChain."""
    import httpx
    import openai

    def require_completion(response: httpx.Response) -> None:
        kind = response.headers.get("content-type", "")
        if response.is_success and kind.startswith("text/html"):
            raise openai.APIConnectionError(
                message=f"the endpoint answered with {kind}, not a chat completion",
                request=response.request,
            )

    return httpx.Client(event_hooks={"response": [require_completion]})


class ModelFailure(RuntimeError):
    """The model endpoint failed for good (after retries): one line naming what and where."""


def model_failure(error: Exception, ctx: RunContext) -> ModelFailure | None:
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
        fault = f"the connection failed ({_root_cause(error)})"
    elif isinstance(error, openai.APIStatusError):
        message = str(error.message).removeprefix(f"Error code: {error.status_code} - ")
        fault = f"HTTP {error.status_code}: {first_line(message, 160)}"
    elif isinstance(error, openai.OpenAIError):
        fault = first_line(str(error), 160)
    else:
        return None
    return ModelFailure(f"model {ctx.model!r} at {endpoint} failed: {fault}")


def _root_cause(error: BaseException) -> str:
    """The innermost reason of a connection error ("Connection refused", "peer closed...")."""
    reason = str(error)
    while error.__cause__ is not None or error.__context__ is not None:
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
        reason = first_line(str(error), 120) or reason
    return reason

"""Each handoff is offered the tools its task names; the loop can still run any of its tools.

Every tool schema is resent on every model call of a tool loop, so a handoff is offered (sent
the schemas of) only the file readers, the project overview and the fact tools its words
point at (``graph.toolbox.focus_tools``). The agent loop itself is built with all of the
agent's tools: a model that calls one it was not offered, say a fact tool the overview
listed, gets its result instead of an unknown-tool error, and one built loop serves every
focus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse


@dataclass(frozen=True)
class Focus:
    """The agent loop's run context: the names of the tools this handoff is offered."""

    offered: frozenset[str]


class OfferFocusedTools(AgentMiddleware):
    """Send the model only the schemas of the tools in the run's ``Focus``."""

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        focus = request.runtime.context if request.runtime else None
        if not isinstance(focus, Focus):
            return handler(request)
        offered = [tool for tool in request.tools if getattr(tool, "name", None) in focus.offered]
        return handler(request.override(tools=offered))

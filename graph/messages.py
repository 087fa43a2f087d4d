"""Small helpers over LangChain messages and the text shown of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept out of the import path of ``--list-agents``
    from langchain_core.messages import BaseMessage


def text_of(message: BaseMessage) -> str:
    """The plain text of a message, whether its content is a string or a list of blocks."""
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    parts = [
        block if isinstance(block, str) else block.get("text", "")
        for block in content
        if isinstance(block, str) or block.get("type") == "text"
    ]
    return "".join(parts)


def latest_request(messages: list[BaseMessage]) -> str | None:
    """The text of the last user message, if any."""
    return next((text_of(m) for m in reversed(messages) if m.type == "human"), None)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "..." when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def first_line(text: str, limit: int = 120) -> str:
    return shorten(text.strip().splitlines()[0] if text.strip() else "", limit)

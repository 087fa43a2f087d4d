"""Small helpers over LangChain messages."""

from __future__ import annotations

from langchain_core.messages import BaseMessage


def text_of(message: BaseMessage | dict) -> str:
    """The plain text of a message, whether its content is a string or a list of blocks."""
    if isinstance(message, dict):  # include_raw structured output hands back dicts too
        message = message.get("raw", message)
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    parts = [
        block if isinstance(block, str) else block.get("text", "")
        for block in content
        if isinstance(block, str) or block.get("type") == "text"
    ]
    return "".join(parts)


def first_line(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."

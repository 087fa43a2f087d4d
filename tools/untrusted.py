"""The line our tools put before project content, so a model treats it as data, not orders."""

from __future__ import annotations

UNTRUSTED_MARKER = "untrusted project content from "


def untrusted(source: str, text: str) -> str:
    """``text`` read from ``source`` ("lib/app/repo.ex (lines 1-40 of 40)"), marked as such."""
    return f"{UNTRUSTED_MARKER}{source}:\n{text}"

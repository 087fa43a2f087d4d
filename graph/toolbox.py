"""Which of the project tools an agent gets, from its frontmatter ``tools`` field.

Every tool here is read-only. Agent files written for Claude Code name its tools (``Read``,
``Grep``, ``Glob``, ``Bash``, ``Write``...): the reading ones map onto ours, and the ones that
write, run or reach the network are never granted, whatever a file asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

# Claude Code tool names (lower-cased) -> our tool names; "*" means every read-only tool.
_CLAUDE_CODE_READERS: dict[str, tuple[str, ...]] = {
    "read": ("*",),
    "grep": ("search_code",),
    "glob": ("list_files",),
    "ls": ("list_files",),
}


@lru_cache(maxsize=8)
def project_tools(project_root: Path) -> tuple[BaseTool, ...]:
    """Every read-only tool over one project, built once per process and root."""
    from tools.toolset import build_tools

    return tuple(build_tools(project_root))


def select_tools(wanted: Sequence[str] | None, available: Sequence[BaseTool]) -> list[BaseTool]:
    """``None`` grants every tool; otherwise each name is ours or a Claude Code reader."""
    if wanted is None:
        return list(available)
    by_name = {tool.name: tool for tool in available}
    chosen: dict[str, BaseTool] = {}
    for name in wanted:
        for ours in _CLAUDE_CODE_READERS.get(name.strip().lower(), (name.strip(),)):
            if ours == "*":
                return list(available)
            if ours in by_name:
                chosen[ours] = by_name[ours]
    return list(chosen.values())

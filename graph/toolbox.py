"""Which of the project tools an agent gets (its frontmatter ``tools`` field), and which of
them one handoff is offered (the fact tools its task's topics name, ``graph.topics``).

Every tool here is read-only. Agent files written for Claude Code name its tools (``Read``,
``Grep``, ``Glob``, ``Bash``, ``Write``...): the reading ones map onto ours, and the ones that
write, run or reach the network are never granted, whatever a file asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from graph.topics import CONFIG_TOOL, topic_calls

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

    from tools.toolset import Toolset

OVERVIEW_TOOL = "mix_project"
FILE_READERS = ("list_files", "read_file", "search_code", "find_module", "find_function")

# Claude Code tool names (lower-cased) -> ours. Its Read reads files, so it grants the file
# readers; the mix fact tools go to agents that omit ``tools`` or name them.
_CLAUDE_CODE_READERS: dict[str, tuple[str, ...]] = {
    "read": ("read_file", "find_module", "find_function"),
    "grep": ("search_code",),
    "glob": ("list_files",),
    "ls": ("list_files",),
}


def project_toolset(project_root: Path, on_progress=None) -> Toolset:
    """Every read-only tool over one project, and its stack. Opened per use on purpose: the
    index behind them is cached on disk and revalidated by mtime, so a changed file is seen at
    the next handoff and an unchanged project costs a few milliseconds."""
    from tools.toolset import open_toolset

    return open_toolset(project_root, on_progress)


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


def focus_tools(
    text: str, tools: Sequence[BaseTool], configured: Callable[[str], bool] = lambda word: False
) -> list[BaseTool]:
    """The tools one handoff is offered: the file readers, the project overview and the fact
    tools its words point at (config asked of ``configured`` things is the config alone:
    ``topic_calls``); every tool when its words point at none.

    Every tool schema is resent on every model call of the loop, so offering a handful instead
    of all of them is most of the input a handoff costs; the readers keep the rest reachable.
    """
    topics = {tool for tool, _ in topic_calls(text, configured)}
    if not topics:
        return list(tools)
    wanted = {*FILE_READERS, OVERVIEW_TOOL, *topics}
    return [tool for tool in tools if tool.name in wanted]


def configured_in(toolset: Toolset, tools: Sequence[BaseTool]) -> Callable[[str], bool]:
    """Whether the project's config sets what a word names: a ``config :app, Key`` whose app
    or key holds it ("endpoint": ``config :kanban, KanbanWeb.Endpoint``); a word found only in
    the values set ("route" in ``dev_routes: true``) names none. Never, for an agent that is
    not granted the config tool among ``tools``."""
    if not any(tool.name == CONFIG_TOOL for tool in tools):
        return lambda word: False
    targets = [target.lower() for target in toolset.config_targets]
    return lambda word: any(word.lower() in target for target in targets)

"""The one interface every fact group implements (Credo-style: one group per file).

A fact group turns one parsed file into plain facts (JSON-serialisable dicts, each with
``file`` and ``line``), optionally combines the facts of all files into project-level facts,
and renders facts as compact lines for a language model. Per-file facts are what the index
caches, keyed by path + mtime + size, so ``extract`` must depend on that one file only;
anything that needs several files (alias indirection, umbrella apps, lock files) belongs in
``combine``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Protocol

from tree_sitter import Node, Tree

from tools.mix.parse import ModuleNode, find_calls, iter_modules

Fact = dict[str, Any]


@dataclass(frozen=True)
class SourceFile:
    """A file of the project, before parsing. ``path`` is relative to the project root."""

    path: str
    source: bytes

    @property
    def is_elixir(self) -> bool:
        return self.path.endswith((".ex", ".exs"))

    @property
    def is_heex(self) -> bool:
        return self.path.endswith(".heex")


@dataclass(frozen=True)
class ParsedFile(SourceFile):
    """A file with its syntax tree (Elixir or HEEx, by extension)."""

    tree: Tree | None = None
    first_error_line: int | None = None  # 1-based line of the first syntax error, if any

    @cached_property
    def modules(self) -> list[ModuleNode]:
        """Every ``defmodule`` of an Elixir file, found once for all groups."""
        return list(iter_modules(self.tree)) if self.tree is not None and self.is_elixir else []

    @cached_property
    def config_calls(self) -> list[Node]:
        """Every ``config ...`` call of an ``.exs`` file, found once for all groups."""
        if self.tree is None or not self.path.endswith(".exs"):
            return []
        return find_calls(self.tree.root_node, {"config"})


@dataclass
class ProjectFacts:
    """Every group's per-file facts for the whole project, the input of ``combine``."""

    root: str
    by_group: dict[str, list[Fact]] = field(default_factory=dict)

    def group(self, name: str) -> list[Fact]:
        return self.by_group.get(name, [])


class FactGroup(Protocol):
    """One kind of fact, e.g. routes or Oban workers."""

    name: ClassVar[str]  # the key facts are stored under, e.g. "routes"
    tool_name: ClassVar[str]  # the LangChain tool that exposes them, e.g. "phoenix_routes"
    tool_description: ClassVar[str]  # when a model should call that tool

    def wants(self, file: SourceFile) -> bool:
        """A cheap pre-filter (path, a byte substring) so most files are never walked."""
        ...

    def extract(self, file: ParsedFile) -> list[Fact]:
        """Facts from this one file. Must not read any other file."""
        ...

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        """Project-level facts from all files' facts (identity when nothing spans files).

        Must not modify the given facts (they are the cached per-file facts): a changed fact
        is returned as a new dict."""
        ...

    def render(self, fact: Fact) -> str:
        """One compact line, ending with ``file:line``."""
        ...

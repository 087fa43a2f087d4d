"""Every read-only project tool the graph hands to the Elixir/Phoenix specialist."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from tools import files
from tools.mix.facts import ALL_GROUPS
from tools.mix.facts.project import describe
from tools.mix.index import ProgressCallback, ProjectIndex
from tools.mix.lc_tools import fact_tools
from tools.mix.project import find_project_root
from tools.sandbox import Sandbox
from tools.untrusted import untrusted

_RECENT: dict[Path, tuple[ProjectIndex, Toolset]] = {}  # per root: the last index, its tools


@dataclass(frozen=True)
class Toolset:
    """Every read-only tool over one indexed project, the project's stack in one line, the
    names its code defines and what its config sets."""

    tools: list[BaseTool]
    stack: str  # e.g. "Phoenix 1.7.14, LiveView 1.0.1, Ecto (Postgres), Oban 2.18.3"
    names: frozenset[str] = frozenset()  # see project_names
    config_targets: frozenset[str] = frozenset()  # see config_targets


def open_toolset(project_root: Path, on_progress: ProgressCallback | None = None) -> Toolset:
    """The fact-group tools plus list_files, read_file, search_code, find_module,
    find_function and mix_project, all bound to one index of the project."""
    root = find_project_root(project_root)
    index = ProjectIndex.open(root, on_progress=on_progress)
    recent = _RECENT.get(root)
    if recent is not None and recent[0] is index:
        return recent[1]  # the same index: the same tools
    sandbox = Sandbox.at(root)
    tools = [
        _tool(mix_project, "mix_project", _NoArgs, index),
        *fact_tools(index, ALL_GROUPS),
        _tool(files.list_files, "list_files", _ListFiles, sandbox),
        _tool(files.read_file, "read_file", _ReadFile, sandbox),
        _tool(files.search_code, "search_code", _SearchCode, sandbox),
        _tool(files.find_module, "find_module", _FindModule, index, sandbox),
        _tool(files.find_function, "find_function", _FindFunction, index, sandbox),
    ]
    toolset = Toolset(tools, _stack(index), project_names(index), config_targets(index))
    _RECENT[root] = (index, toolset)
    return toolset


def build_tools(project_root: Path, on_progress: ProgressCallback | None = None) -> list[BaseTool]:
    return open_toolset(project_root, on_progress).tools


def _stack(index: ProjectIndex) -> str:
    summary = next((f for f in index.group("project") if f["kind"] == "summary"), None)
    if summary is None:
        return "Elixir project (no mix.exs project/0 found)"
    return describe(summary["stack"]) or "plain Elixir/OTP"


def project_names(index: ProjectIndex) -> frozenset[str]:
    """What a request can name to mean this project's code: module names in full and as an
    alias leaves them (``KanbanWeb.BoardLive.Show``, ``BoardLive.Show``, ``Show``), function
    names, alone and after any of those (``join``, ``KanbanWeb.BoardChannel.join``,
    ``BoardChannel.join``), source paths and file names (``lib/kanban/boards.ex``,
    ``boards.ex``), and route paths (``/boards/:id``)."""
    names: set[str] = set()
    for module in index.group("modules"):
        parts = module["name"].split(".")
        module_names = [".".join(parts[start:]) for start in range(len(parts))]
        functions = {function.split("/", 1)[0] for function in module["functions"]}
        names.update(module_names, functions)
        names.update(f"{name}.{function}" for name in module_names for function in functions)
    for path in index.files:
        names.update((path, path.rsplit("/", 1)[-1]))
    names.update(route["path"] for route in index.group("routes") if len(route["path"]) > 1)
    return frozenset(names)


def config_targets(index: ProjectIndex) -> frozenset[str]:
    """What the project's config sets, as mix_config writes each ``config`` call's head
    (``config :kanban, KanbanWeb.Endpoint``, ``config :logger``)."""
    return frozenset(
        f"config :{fact['app']}" + (f", {fact['key']}" if fact["key"] else "")
        for fact in index.group("config")
    )


def mix_project(index: ProjectIndex) -> str:
    """Overview: the project line, module kinds, available fact groups, parse problems."""
    project = next(g for g in ALL_GROUPS if g.name == "project")
    summary = [project.render(f) for f in index.group("project") if f["kind"] == "summary"]
    kinds = Counter(m["kind"] for m in index.group("modules"))
    lines = [
        *(summary or ["no mix.exs with a project/0 function found"]),
        f"{len(index.files)} source files; modules: "
        + ", ".join(f"{count} {kind}" for kind, count in kinds.most_common()),
        "facts: " + ", ".join(f"{g.tool_name} ({len(index.group(g.name))})" for g in ALL_GROUPS),
    ]
    if index.parse_errors:
        lines.append(
            "partly unparsable (facts may be incomplete): "
            + ", ".join(f"{path}:{line}" for path, line in index.parse_errors[:20])
        )
    if index.problems:
        lines.append("problems: " + "; ".join(index.problems[:20]))
    return untrusted("the project index", "\n".join(lines))


class _NoArgs(BaseModel):
    pass


class _ListFiles(BaseModel):
    glob: str = Field(default="**/*", description="e.g. 'lib/**/*.ex', '**/*.{ex,heex}'")
    limit: int = Field(default=200, ge=1, le=2000)


class _ReadFile(BaseModel):
    path: str = Field(description="Path relative to the project root, e.g. 'lib/app/repo.ex'")
    start_line: int = Field(default=1, ge=1)
    end_line: int | None = Field(default=None, ge=1, description="Inclusive; at most 400 lines")


class _SearchCode(BaseModel):
    regex: str = Field(description="Python regular expression searched line by line")
    glob: str = Field(default=files.DEFAULT_SOURCE_GLOB)
    limit: int = Field(default=50, ge=1, le=500)


class _FindModule(BaseModel):
    name: str = Field(description="Full module name, e.g. 'KanbanWeb.BoardLive.Index'")


class _FindFunction(BaseModel):
    reference: str = Field(description="'Module.function/arity', 'Module.function' or 'function'")


_DESCRIPTIONS = {
    "mix_project": "Start here: the project, its stack, module counts, which fact tools exist.",
    "list_files": "List project files matching a glob (build, deps and secret files excluded).",
    "read_file": "Read a project file with line numbers (up to 400 lines per call).",
    "search_code": "Search source lines with a regex; returns file:line: text, bounded.",
    "find_module": "A module's source with line numbers; a long module as an outline.",
    "find_function": "The source of every clause of Module.function/arity, with line numbers.",
}


def _tool(function: Callable[..., str], name: str, schema: type[BaseModel], *bound) -> BaseTool:
    """A tool calling ``function(*bound, **arguments)``; errors come back as one line."""

    def run(**arguments) -> str:
        try:
            return function(*bound, **arguments)
        except ValueError as error:
            return f"error: {error}"

    return StructuredTool.from_function(
        func=run, name=name, description=_DESCRIPTIONS[name], args_schema=schema
    )

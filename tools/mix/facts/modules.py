"""Modules: what each one is (LiveView, schema, worker...), what it uses and defines.

The kind comes from ``use``/``@behaviour``. ``use KanbanWeb, :live_view`` is resolved in
``combine`` by reading what ``KanbanWeb.live_view/0`` quotes (one level of indirection): the
per-file facts of a module with ``__using__`` record the modules each of its functions
``use``s inside ``quote``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    ModuleNode,
    attribute_name,
    call_args,
    do_block_children,
    expand_alias,
    find_calls,
    line_of,
    literal,
    module_aliases,
    node_text,
    used_module,
)

# Used module or behaviour -> kind; the first match in this order wins.
KINDS = {
    "Phoenix.LiveView": "live_view",
    "Phoenix.LiveComponent": "live_component",
    "Phoenix.Router": "router",
    "Phoenix.Endpoint": "endpoint",
    "Phoenix.Controller": "controller",
    "Phoenix.Channel": "channel",
    "Phoenix.Socket": "socket",
    "Phoenix.Presence": "presence",
    "Ecto.Schema": "ecto_schema",
    "Ecto.Repo": "repo",
    "Ecto.Migration": "migration",
    "Oban.Worker": "oban_worker",
    "Oban.Pro.Worker": "oban_worker",
    "Absinthe.Schema": "absinthe_schema",
    "Absinthe.Schema.Notation": "absinthe_types",
    "Application": "application",
    "Supervisor": "supervisor",
    "DynamicSupervisor": "supervisor",
    "GenServer": "genserver",
    "GenStage": "genstage",
    "Broadway": "broadway",
    "Phoenix.Component": "function_components",
    "ExUnit.Case": "test",
    "ExUnit.CaseTemplate": "test_case_template",
    "Mix.Task": "mix_task",
}

# The attributes read below; an attribute whose source has none of these words is none of them.
_READ_ATTRIBUTES = re.compile(rb"impl|behaviour|moduledoc")


class ModulesGroup:
    name: ClassVar[str] = "modules"
    tool_name: ClassVar[str] = "elixir_modules"
    tool_description: ClassVar[str] = (
        "Every module of the project with file:line, its kind (live_view, live_component, "
        "function_components, controller, channel, socket, router, endpoint, ecto_schema, repo, "
        "migration, oban_worker, genserver, supervisor, application, absinthe_schema, presence, "
        "test...), @moduledoc summary, use/import/alias/@behaviour, public functions with "
        "arities and @impl callbacks. Filter by module name, kind or function name."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.is_elixir and b"defmodule" in file.source

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        return [_module_fact(module, file.source, file.path) for module in file.modules]

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        quoted = {f["name"]: f["quoted_uses"] for f in facts if f.get("quoted_uses")}
        kinds = {f["name"]: f["kind"] for f in facts}
        return [_kind_via_use(f, quoted, kinds) if f["kind"] == "module" else f for f in facts]

    def render(self, fact: Fact) -> str:
        parts = [f"{fact['name']} [{fact['kind']}]"]
        if fact["doc"]:
            parts.append(f'"{fact["doc"]}"')
        for key, label in (("uses", "use"), ("behaviours", "behaviour")):
            if fact[key]:
                parts.append(f"{label} " + ", ".join(_show_use(u) for u in fact[key]))
        if fact["callbacks"]:
            parts.append("callbacks " + ", ".join(fact["callbacks"]))
        others = [f for f in fact["functions"] if f not in fact["callbacks"]]
        if others:
            parts.append("functions " + ", ".join(others))
        return "; ".join(parts) + f" {fact['file']}:{fact['line']}"


def _kind_via_use(
    fact: Fact, quoted: dict[str, dict[str, list[str]]], kinds: dict[str, str]
) -> Fact:
    """The fact, with the kind its ``use KanbanWeb, :live_view`` gives when there is one."""
    for use in fact["uses"]:
        via = quoted.get(use["module"], {}).get(use["arg"] or "")
        kind = _kind_of(via or [])
        if kinds.get(use["module"]) == "test_case_template":
            kind = "test"
        if kind:
            return {**fact, "kind": kind, "kind_via": f"{use['module']}.{use['arg']}"}
    return fact


def _show_use(use: dict | str) -> str:
    if isinstance(use, str):
        return use
    return f"{use['module']}, :{use['arg']}" if use["arg"] else use["module"]


def _kind_of(used: list[str]) -> str | None:
    return next((kind for module, kind in KINDS.items() if module in used), None)


def _module_fact(module: ModuleNode, source: bytes, path: str) -> Fact:
    aliases = module_aliases(module)
    uses: list[dict[str, str | None]] = []
    imports: list[str] = []
    behaviours: list[str] = []
    functions: dict[str, None] = {}  # ordered sets
    callbacks: dict[str, None] = {}
    doc = ""
    impl_pending = False
    for name, node in zip(module.call_names, module.body, strict=True):
        if node.type == "unary_operator":
            if not _READ_ATTRIBUTES.search(source, node.start_byte, node.end_byte):
                continue  # most are @doc and @spec: spare working out their names
            attribute = attribute_name(node)
            if attribute == "impl":
                impl_pending = node_text(node).split(None, 1)[-1] != "false"
            elif attribute == "behaviour":
                behaviours.append(expand_alias(_first_arg_text(node.named_children[0]), aliases))
            elif attribute == "moduledoc":
                doc = _doc_summary(node.named_children[0])
            continue
        if name == "use":
            uses.append(_use(node, aliases))
        elif name == "import":
            imports.append(expand_alias(_first_arg_text(node), aliases))
        head = module.head(node, name) if name in ("def", "defmacro") else None
        if head is None:
            continue
        for arity in head.arities:
            signature = f"{head.name}/{arity}"
            functions[signature] = None
            if impl_pending:
                callbacks[signature] = None
        impl_pending = False
    used = [u["module"] for u in uses] + behaviours
    fact: Fact = {
        "name": module.name,
        "kind": _kind_of(used) or _kind_from_path(path, module.name),  # type: ignore[arg-type]
        "doc": doc,
        "uses": uses,
        "imports": imports,
        "aliases": sorted(set(aliases.values())),
        "behaviours": behaviours,
        "functions": list(functions),
        "callbacks": list(callbacks),
        "file": path,
        "line": line_of(module.node),
        "end_line": module.node.end_point.row + 1,
    }
    if "__using__/1" in functions:
        fact["quoted_uses"] = _quoted_uses(module, aliases)
    return fact


def _kind_from_path(path: str, name: str) -> str:
    if path.endswith("_test.exs"):
        return "test"
    return "module"


def _first_arg_text(call: Node) -> str:
    args = call_args(call)
    return node_text(args[0]) if args else ""


def _use(call: Node, aliases: dict[str, str]) -> dict[str, str | None]:
    args = call_args(call)
    module = expand_alias(used_module(call), aliases) if args else ""
    arg = None
    if len(args) > 1 and args[1].type == "atom":
        arg = str(literal(args[1]))
    return {"module": module, "arg": arg}


def _doc_summary(call: Node) -> str:
    """First non-empty line of ``@moduledoc "..."`` / heredoc; "" for false or no doc."""
    args = call_args(call) if call.type == "call" else []
    if not args or args[0].type not in ("string", "sigil"):
        return ""
    text = node_text(args[0]).strip('"').strip()
    if args[0].type == "sigil":
        text = node_text(args[0])[2:].strip("\"'(){}[]|/ \n")
    for line in text.splitlines():
        line = line.strip().strip('"').strip()
        if line:
            return line[:160]
    return ""


def _quoted_uses(module: ModuleNode, aliases: dict[str, str]) -> dict[str, list[str]]:
    """For each zero-arity function of a web module: the modules ``use``d in its quote."""
    quoted: dict[str, list[str]] = {}
    for node, head in module.functions.items():
        if head.arity != 0:
            continue
        used = []
        for expression in do_block_children(node):
            for use in find_calls(expression, {"use"}):
                used.append(_use(use, aliases)["module"])
        if used:
            quoted[head.name] = used
    return quoted

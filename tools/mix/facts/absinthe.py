"""Absinthe GraphQL schemas: schema modules, types, and the query/mutation/subscription fields.

Three kinds of fact, each with ``module``, ``file`` and ``line``:

- ``schema``: a module that ``use Absinthe.Schema``, with its ``import_types``;
- ``type``: an ``object``/``input_object``/``interface`` with its fields (type as written,
  e.g. ``non_null(list_of(:card))``, arguments, resolver), an ``enum`` with its values, a
  ``union`` with its member types, a ``scalar``;
- ``operation``: one field of the ``query``/``mutation``/``subscription`` block with its
  arguments, type and resolver (``&Resolvers.Boards.list_boards/3`` as written), and for a
  subscription its ``config`` and ``trigger``s; an ``import_fields`` in those blocks is kept
  as written.

Definitions are found by name anywhere in the file (``find_calls``), so a syntax error in one
field does not hide the others.
"""

from __future__ import annotations

import re
from typing import ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    call_args,
    call_name,
    do_block_children,
    enclosing_call,
    enclosing_module,
    expand_alias,
    find_calls,
    keyword_args,
    line_of,
    module_aliases,
    node_text,
    written,
)

TYPE_MACROS = frozenset({"object", "input_object", "interface", "enum", "union", "scalar"})
OPERATIONS = frozenset({"query", "mutation", "subscription"})
_FIELD_PARTS = frozenset({"arg", "resolve", "config", "trigger"})
_TYPE_PARTS = frozenset({"field", "import_fields", "value", "types", "interface", "interfaces"})
_CONTAINERS = TYPE_MACROS | OPERATIONS | {"field"}
_ALL_CALLS = _CONTAINERS | _TYPE_PARTS | _FIELD_PARTS | {"use", "import_types"}


class AbsintheFacts:
    name: ClassVar[str] = "absinthe"
    tool_name: ClassVar[str] = "absinthe_schema"
    tool_description: ClassVar[str] = (
        "The Absinthe GraphQL schema: schema modules and import_types, object/input/enum/"
        "union/interface types with field types, and every query, mutation and subscription "
        "field with its args, resolver, subscription config and triggers, with file:line."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.is_elixir and b"Absinthe" in file.source

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        calls = _CallIndex(file.tree.root_node)
        facts: list[Fact] = []
        for call in calls.top_level:
            module = enclosing_module(call)
            if module is not None and not calls.uses_absinthe(module):
                continue
            name = call_name(call)
            if name == "use" and _is_schema_use(call):
                facts.append(_schema(module, call, calls))
            elif name in OPERATIONS:
                facts.extend(_operations(call, name, calls))
            elif name in TYPE_MACROS:
                facts.append(_type(call, name, calls))
        aliases = {module.name: module_aliases(module) for module in file.modules}
        for fact in facts:
            for field in [fact, *fact.get("fields", [])]:
                _expand_resolver(field, aliases.get(fact["module"], {}))
        return [{**fact, "file": file.path} for fact in facts]

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        return facts

    def render(self, fact: Fact) -> str:
        where = f"{fact['file']}:{fact['line']}"
        if fact["kind"] == "schema":
            return f"schema {fact['module']} import_types {', '.join(fact['import_types'])} {where}"
        if fact["kind"] == "operation":
            return f"{fact['operation']} {_field_label(fact)} {where}"
        parts = [fact["type_kind"], fact["name"]]
        for key in ("values", "types", "interfaces", "import_fields"):
            if fact.get(key):
                parts.append(f"{key}=[{', '.join(fact[key])}]")
        if fact.get("fields"):
            parts.append("{ " + "; ".join(_field_label(f) for f in fact["fields"]) + " }")
        return " ".join(parts) + f" {where}"


# --- Facts --------------------------------------------------------------------------------


def _schema(module: Node | None, use: Node, calls: _CallIndex) -> Fact:
    imports = [c for c in calls.top_level if call_name(c) == "import_types"]
    imports = [c for c in imports if enclosing_module(c) == module]
    return {
        "kind": "schema",
        "module": _module_name(module),
        "import_types": [written(call_args(c)[0]) for c in imports if call_args(c)],
        "line": line_of(module if module is not None else use),
    }


def _type(call: Node, type_kind: str, calls: _CallIndex) -> Fact:
    parts = calls.parts(call)
    fact: Fact = {
        "kind": "type",
        "type_kind": type_kind,
        "name": _name(call),
        "module": _module_name(enclosing_module(call)),
        "fields": [_field(f, calls) for f in parts.get("field", [])],
        "line": line_of(call),
    }
    values = [_name(v) for v in parts.get("value", [])]
    if "values" in keyword_args(call):
        values += [v.removeprefix(":") for v in _list_items(keyword_args(call)["values"])]
    members = [item for t in parts.get("types", []) for item in _list_items(_args(t)[0])]
    interfaces = [_first_arg(i) for i in parts.get("interface", [])]
    interfaces += [item for i in parts.get("interfaces", []) for item in _list_items(_args(i)[0])]
    imported = [_first_arg(i) for i in parts.get("import_fields", [])]
    for key, items in (("values", values), ("types", members), ("interfaces", interfaces)):
        if items:
            fact[key] = items
    if imported:
        fact["import_fields"] = imported
    return fact


def _operations(block: Node, operation: str, calls: _CallIndex) -> list[Fact]:
    """One fact per field of a ``query``/``mutation``/``subscription`` block."""
    module = _module_name(enclosing_module(block))
    parts = calls.parts(block)
    facts = [
        {"kind": "operation", "operation": operation, "module": module, **_field(field, calls)}
        for field in parts.get("field", [])
    ]
    facts += [
        {
            "kind": "operation",
            "operation": operation,
            "module": module,
            "name": None,
            "import_fields": _first_arg(call),
            "line": line_of(call),
        }
        for call in parts.get("import_fields", [])
    ]
    return sorted(facts, key=lambda f: f["line"])


def _field(call: Node, calls: _CallIndex) -> Fact:
    """``field :name, type, opts do arg ...; resolve ... end`` -> name, type, args, resolver."""
    args = _args(call)
    options = keyword_args(call)
    parts = calls.parts(call)
    field: Fact = {
        "name": _name(call),
        "type": _type_ref(args[1:]),
        "args": [{"name": _name(a), "type": _type_ref(_args(a)[1:])} for a in parts.get("arg", [])],
        "line": line_of(call),
    }
    resolver = options.get("resolve")
    if resolver is None and parts.get("resolve"):
        resolver = next(iter(_args(parts["resolve"][0])), None)
    if resolver is not None:
        field["resolve"] = written(resolver)
    if parts.get("config"):
        field["config"] = written(next(iter(_args(parts["config"][0])), None))
    if parts.get("trigger"):
        field["triggers"] = [_trigger(t) for t in parts["trigger"]]
    return field


def _trigger(call: Node) -> Fact:
    """``trigger :move_card, topic: fn card -> ... end`` -> the mutations and the topic fn."""
    args = _args(call)
    topic = keyword_args(call).get("topic")
    mutations = _list_items(args[0]) if args and args[0].type == "list" else [_first_arg(call)]
    names = [m.removeprefix(":") for m in mutations if m]
    return {"mutations": names, "topic": written(topic), "line": line_of(call)}


_CAPTURE = re.compile(r"^&([A-Z][\w.]*)\.(\w+[?!]?)/(\d+)$")


def _expand_resolver(field: Fact, aliases: dict[str, str]) -> None:
    """Add ``resolver``, the full ``Module.fun/3`` of an ``&Alias.fun/3`` capture."""
    capture = _CAPTURE.match(field.get("resolve") or "")
    if capture is not None:
        module, fun, arity = capture.groups()
        field["resolver"] = f"{expand_alias(module, aliases)}.{fun}/{arity}"


# --- Tree helpers -------------------------------------------------------------------------


class _CallIndex:
    """Every schema-notation call of a file, found by name and grouped by the type,
    root block or field it belongs to (its nearest enclosing one). Found anywhere in the
    tree, so one broken call does not hide the ones after it."""

    def __init__(self, root: Node) -> None:
        self.top_level: list[Node] = []
        self._parts: dict[int, dict[str, list[Node]]] = {}
        self._absinthe_modules: dict[int, bool] = {}
        for call in find_calls(root, _ALL_CALLS):
            owner = enclosing_call(call, _CONTAINERS)
            if owner is None:
                self.top_level.append(call)
            else:
                self._parts.setdefault(owner.id, {}).setdefault(call_name(call), []).append(call)

    def parts(self, container: Node) -> dict[str, list[Node]]:
        return self._parts.get(container.id, {})

    def uses_absinthe(self, module: Node) -> bool:
        if module.id not in self._absinthe_modules:
            self._absinthe_modules[module.id] = _uses_absinthe(module)
        return self._absinthe_modules[module.id]


def _module_name(module: Node | None) -> str | None:
    if module is None:
        return None
    args = call_args(module)
    return node_text(args[0]) if args else None


def _uses_absinthe(module: Node) -> bool:
    return any(
        node.type == "call" and call_name(node) == "use" and "Absinthe" in node_text(node)
        for node in do_block_children(module)
    )


def _is_schema_use(call: Node) -> bool:
    args = call_args(call)
    return bool(args) and node_text(args[0]) == "Absinthe.Schema"


def _args(call: Node) -> list[Node]:
    """Positional arguments (a trailing keyword list dropped)."""
    return [a for a in call_args(call) if a.type != "keywords"]


def _first_arg(call: Node) -> str | None:
    args = _args(call)
    return written(args[0]) if args else None


def _type_ref(rest: list[Node]) -> str | None:
    """The type argument as written, or None when absent or broken by a syntax error."""
    if not rest or rest[0].has_error:
        return None
    return written(rest[0])


def _name(call: Node) -> str | None:
    """The name a call defines: ``field :title`` -> ``title`` (non-atoms as written)."""
    written = _first_arg(call)
    return written[1:] if written and written.startswith(":") else written


def _list_items(node: Node) -> list[str]:
    if node.type != "list":
        return [written(node) or ""]
    return [written(item) or "" for item in node.named_children if item.type != "comment"]


def _field_label(field: Fact) -> str:
    if field.get("name") is None:
        return f"import_fields {field['import_fields']}"
    label = str(field["name"])
    if field["args"]:
        label += "(" + ", ".join(f"{a['name']}: {a['type'] or '?'}" for a in field["args"]) + ")"
    if field.get("type"):
        label += f": {field['type']}"
    if field.get("resolve"):
        label += f" resolve {field.get('resolver') or field['resolve']}"
    for trigger in field.get("triggers", []):
        label += f" trigger {','.join(trigger['mutations'])} topic={trigger['topic']}"
    return label

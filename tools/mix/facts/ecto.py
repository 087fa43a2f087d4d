"""Ecto facts: schemas, changeset functions, Repo modules and migrations.

Four kinds of fact, each a dict with ``kind``, ``file`` and ``line``:

- ``schema``: source table (None for an embedded schema), primary key, fields, associations,
  embeds and timestamps, each item with its own line;
- ``changeset``: a function that builds a changeset (its name ends in ``changeset`` or it
  calls ``cast``/``change``) with the casts, validations and constraints it pipes through;
- ``repo``: a module that ``use Ecto.Repo`` with its ``otp_app`` and ``adapter``;
- ``migration``: the table and index operations of one migration file, versioned by the
  timestamp that starts its file name; ``combine`` puts migrations in that order.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    ModuleNode,
    Unresolved,
    attribute_name,
    call_args,
    call_name,
    calls_matching,
    do_block_children,
    expand_alias,
    find_calls,
    jsonable,
    keyword_args,
    line_of,
    literal,
    module_aliases,
    module_attributes,
    node_text,
    pipe_source,
    show,
    used_module,
)

_ASSOC_MACROS = frozenset({"belongs_to", "has_one", "has_many", "many_to_many"})
_EMBED_MACROS = frozenset({"embeds_one", "embeds_many"})
_SCHEMA_MACROS = frozenset({"schema", "embedded_schema"})

_BUILTIN_VALIDATIONS = frozenset(
    {
        "validate_acceptance",
        "validate_change",
        "validate_confirmation",
        "validate_exclusion",
        "validate_format",
        "validate_inclusion",
        "validate_length",
        "validate_not_nil",
        "validate_number",
        "validate_required",
        "validate_subset",
    }
)
# Changeset steps: casts, puts, every `validate_*` (custom ones too) and `*constraint`.
_STEP_NAME = (
    "cast|change|(?:cast|put)_(?:assoc|embed)|put_change|validate_[a-z0-9_]+|[a-z_]*constraint"
)

_STEP_MARKERS = re.compile(rb"cast\(|cast_|change\(|put_|validate_|constraint\(")

_MIGRATION_OPS = frozenset(
    {"create", "create_if_not_exists", "alter", "drop", "drop_if_exists", "rename", "execute"}
)
_DIRECTIONS = frozenset({"change", "up", "down"})  # other functions of a migration are helpers
_COLUMN_OPS = frozenset(
    {"add", "add_if_not_exists", "remove", "remove_if_exists", "modify", "timestamps"}
)
_MIGRATION_NAME = re.compile(r"(\d+)_(\w+)\.exs$")


class EctoFacts:
    name: ClassVar[str] = "ecto"
    tool_name: ClassVar[str] = "ecto_schemas"
    tool_description: ClassVar[str] = (
        "Ecto schemas (table, primary key, fields with types, associations, embeds, "
        "timestamps), changeset functions with their validations and constraints, Repo "
        "modules, and migrations in timestamp order, each with file:line. Use for questions "
        "about the data model, database tables, validations or migrations."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.is_elixir and (b"Ecto" in file.source or b'schema "' in file.source)

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        facts: list[Fact] = []
        for module in file.modules:
            facts += _module_facts(module, file.source, file.path)
        return sorted(facts, key=lambda fact: fact["line"])

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        migrations = [f for f in facts if f["kind"] == "migration"]
        others = [f for f in facts if f["kind"] != "migration"]
        return others + sorted(migrations, key=lambda f: (f["version"], f["file"]))

    def render(self, fact: Fact) -> str:
        text = " ".join(_RENDERERS[fact["kind"]](fact).split())  # values may span lines
        return f"{text}  {fact['file']}:{fact['line']}"


# --- Per module ---------------------------------------------------------------------------


def _module_facts(module: ModuleNode, source: bytes, path: str) -> list[Fact]:
    calls = module.calls
    used = {used_module(n): n for n in calls.get("use", []) if call_args(n)}
    schemas = [n for name in _SCHEMA_MACROS for n in calls.get(name, [])]
    functions = sorted(calls.get("def", []) + calls.get("defp", []), key=lambda n: n.start_byte)
    candidates = [f for f in functions if _may_build_changeset(f, source)]
    attributes = module_attributes(module) if schemas or candidates else {}
    facts: list[Fact] = []
    if "Ecto.Repo" in used:
        facts.append(_repo_fact(module, used["Ecto.Repo"], path))
    if "Ecto.Migration" in used:
        facts.append(_migration_fact(module, path))
    if schemas:
        aliases = module_aliases(module)
        facts += [_schema_fact(module, n, aliases, attributes, path) for n in schemas]
    if candidates:
        facts += _changeset_facts(module, candidates, attributes, path)
    return facts


def _may_build_changeset(function: Node, source: bytes) -> bool:
    """A byte check so that only functions that may hold changeset steps are searched."""
    return _STEP_MARKERS.search(source, function.start_byte, function.end_byte) is not None


def _is_call(node: Node, name: str) -> bool:
    return node.type == "call" and call_name(node) == name


def _trailing_options(call: Node) -> dict[str, str]:
    return {key: show(literal(value)) for key, value in keyword_args(call).items()}


def _type_name(node: Node, aliases: dict[str, str]) -> str:
    """``:string`` -> ``string``; ``Ecto.Enum`` and ``{:array, :string}`` as written."""
    if node.type == "atom":
        return node_text(node)[1:]
    if node.type == "alias":
        return expand_alias(node_text(node), aliases)
    return show(literal(node))


def _names(node: Node | None, attributes: dict[str, Node]) -> list[str]:
    """Field names from ``:a``, ``[:a, :b]``, ``~w(a b)a`` or a module attribute holding one."""
    if node is None:
        return []
    attribute = attribute_name(node)
    if attribute in attributes:
        return _names(attributes[attribute], {})
    value = literal(node)
    values = value if isinstance(value, list) else [value]
    if any(isinstance(v, Unresolved | tuple | dict) for v in values):
        return [node_text(node)]
    return [str(v) for v in values]


# --- Repo ---------------------------------------------------------------------------------


def _repo_fact(module: ModuleNode, use: Node, path: str) -> Fact:
    options = keyword_args(use)
    return {
        "kind": "repo",
        "module": module.name,
        "otp_app": str(jsonable(literal(options.get("otp_app")))),
        "adapter": node_text(options.get("adapter")) or None,
        "file": path,
        "line": line_of(module.node),
    }


# --- Schemas ------------------------------------------------------------------------------


def _schema_fact(
    module: ModuleNode,
    schema: Node,
    aliases: dict[str, str],
    attributes: dict[str, Node],
    path: str,
) -> Fact:
    embedded = call_name(schema) == "embedded_schema"
    args = call_args(schema)
    source = jsonable(literal(args[0])) if args and not embedded else None
    fields, assocs, embeds = [], [], []
    timestamps = None
    for node in do_block_children(schema):
        name = call_name(node) if node.type == "call" else ""
        if name == "field":
            fields.append(_field(node, aliases))
        elif name in _ASSOC_MACROS:
            assocs.append(_assoc(node, aliases, module.name))
        elif name in _EMBED_MACROS:
            embeds.append(_embed(node, aliases, module.name))
        elif name == "timestamps":
            timestamps = _timestamps(node, attributes)
    foreign_key_type = attributes.get("foreign_key_type")
    return {
        "kind": "schema",
        "module": module.name,
        "source": source,
        "embedded": embedded,
        "primary_key": _primary_key(attributes, fields, embedded),
        "foreign_key_type": _type_name(foreign_key_type, aliases) if foreign_key_type else None,
        "fields": fields,
        "assocs": assocs,
        "embeds": embeds,
        "timestamps": timestamps,
        "file": path,
        "line": line_of(schema),
    }


def _field(call: Node, aliases: dict[str, str]) -> dict[str, Any]:
    args = call_args(call)
    type_node = args[1] if len(args) > 1 and args[1].type != "keywords" else None
    return {
        "name": str(jsonable(literal(args[0]))) if args else "",
        "type": _type_name(type_node, aliases) if type_node is not None else "string",
        "options": _trailing_options(call),
        "line": line_of(call),
    }


def _target(node: Node, aliases: dict[str, str], module: str) -> str:
    if node.type == "alias":
        return expand_alias(node_text(node), aliases, module)
    return node_text(node)


def _assoc(call: Node, aliases: dict[str, str], module: str) -> dict[str, Any]:
    args = call_args(call)
    name = str(jsonable(literal(args[0]))) if args else ""
    options = _trailing_options(call)
    assoc = {
        "kind": call_name(call),
        "name": name,
        "target": _target(args[1], aliases, module) if len(args) > 1 else "",
        "options": options,
        "line": line_of(call),
    }
    if assoc["kind"] == "belongs_to":
        assoc["foreign_key"] = options.get("foreign_key", f":{name}_id").lstrip(":")
    return assoc


def _embed(call: Node, aliases: dict[str, str], module: str) -> dict[str, Any]:
    embed = _assoc(call, aliases, module)
    inline = do_block_children(call)
    if inline:  # embeds_one :dimensions, Dimensions do ... end defines a nested module
        embed["target"] = f"{module}.{node_text(call_args(call)[1])}"
        embed["fields"] = [_field(n, aliases) for n in inline if _is_call(n, "field")]
    return embed


def _timestamps(call: Node, attributes: dict[str, Node]) -> dict[str, Any]:
    """The timestamps' type, from the call or the module's ``@timestamps_opts``."""
    options = _trailing_options(call)
    defaults = literal(attributes.get("timestamps_opts"))
    if "type" not in options and isinstance(defaults, dict) and "type" in defaults:
        options["type"] = show(defaults["type"])
    return {"type": options.get("type", ":naive_datetime").lstrip(":"), "line": line_of(call)}


def _primary_key(
    attributes: dict[str, Node], fields: list[dict[str, Any]], embedded: bool
) -> list[dict[str, Any]]:
    """The primary key columns: ``@primary_key``, fields marked ``primary_key: true``, or the
    default ``id``. An empty list means the schema has none."""
    explicit = [
        {"name": f["name"], "type": f["type"], "line": f["line"]}
        for f in fields
        if f["options"].get("primary_key") == "true"
    ]
    declared = attributes.get("primary_key")
    if declared is None:
        return explicit or [{"name": "id", "type": "binary_id" if embedded else "id"}]
    value = literal(declared)
    if value is False:
        return explicit
    if isinstance(value, tuple) and len(value) >= 2:
        key: dict[str, Any] = {"name": str(value[0]), "type": str(jsonable(value[1]))}
        key["line"] = line_of(declared)
        if len(value) > 2 and isinstance(value[2], dict):
            key["options"] = {k: show(v) for k, v in value[2].items()}
        return [key, *explicit]
    return [{"name": node_text(declared), "type": "", "line": line_of(declared)}]


# --- Changesets ---------------------------------------------------------------------------


def _changeset_facts(
    module: ModuleNode, candidates: list[Node], attributes: dict[str, Node], path: str
) -> list[Fact]:
    """The candidate functions whose steps build a changeset (``cast``/``change``), or that
    are named ``*changeset``."""
    facts: list[Fact] = []
    for function in candidates:
        head = module.head(function)
        steps = [step for call in _step_calls(function) if (step := _step(call, attributes))]
        builds_changeset = any(s["call"] in ("cast", "change") for s in steps)
        if head is not None and steps and (head.name.endswith("changeset") or builds_changeset):
            facts.append(
                {
                    "kind": "changeset",
                    "module": module.name,
                    "function": f"{head.name}/{head.arity}",
                    "steps": steps,
                    "file": path,
                    "line": head.line,
                }
            )
    if any(step.get("custom") for fact in facts for step in fact["steps"]):
        _link_custom_validations(facts, module)
    return facts


def _link_custom_validations(facts: list[Fact], module: ModuleNode) -> None:
    """Give each custom ``validate_*`` step the line of its definition in the module."""
    helpers = {
        h.name: h.line
        for h in module.functions.values()
        if h.kind in ("def", "defp") and h.name.startswith("validate_")
    }
    for fact in facts:
        for step in fact["steps"]:
            if step.get("custom") and step["call"] in helpers:
                step["defined_at"] = helpers[step["call"]]


def _step_calls(function: Node) -> list[Node]:
    return calls_matching(function, _STEP_NAME)


def _step(call: Node, attributes: dict[str, Node]) -> dict[str, Any] | None:
    """One changeset step: ``validate_length(:name, min: 2)`` -> call, fields, options."""
    name = call_name(call).removeprefix("Ecto.Changeset.")
    if "." in name:  # another module's function
        return None
    args = call_args(call)
    if pipe_source(call) is None:
        args = args[1:]  # the changeset (or data) is the first argument
    if name in ("cast",):  # cast(data, params, permitted): skip the params
        args = args[1:]
    fields = _names(args[0], attributes) if args and args[0].type != "keywords" else []
    rest = args[1:] if fields else args
    step: dict[str, Any] = {
        "call": name,
        "fields": fields,
        "options": re.sub(r"\s+", " ", ", ".join(node_text(a) for a in rest)),
        "line": line_of(call),
    }
    if name.startswith("validate_") and name not in _BUILTIN_VALIDATIONS:
        step["custom"] = True
    return step


# --- Migrations ---------------------------------------------------------------------------


def _migration_fact(module: ModuleNode, path: str) -> Fact:
    match = _MIGRATION_NAME.search(path)
    operations: list[dict[str, Any]] = []
    all_ops = [c for c in find_calls(module.node, _MIGRATION_OPS) if _outermost_op(c)]
    for name, node in zip(module.call_names, module.body, strict=True):
        head = module.head(node, name) if name == "def" else None
        if head is None:
            continue
        start, end = node.start_byte, node.end_byte
        ops = [c for c in all_ops if start <= c.start_byte < end]
        operations += [_operation(call, head.name) for call in ops]
        if not ops and head.name in _DIRECTIONS:  # `def up, do: Oban.Migration.up(...)`
            operations += [_opaque(expr, head.name) for expr in do_block_children(node)]
    return {
        "kind": "migration",
        "module": module.name,
        "version": match.group(1) if match else "",
        "name": match.group(2) if match else module.name.rsplit(".", 1)[-1],
        "operations": operations,
        "file": path,
        "line": line_of(module.node),
    }


def _opaque(expr: Node, direction: str) -> dict[str, Any]:
    name = call_name(expr) if expr.type == "call" else ""
    args = ", ".join(node_text(a) for a in call_args(expr)) if name else node_text(expr)
    return {"op": name or "code", "direction": direction, "args": args, "line": line_of(expr)}


def _outermost_op(call: Node) -> bool:
    """False for an op nested in another op (``execute`` inside ``create``'s block)."""
    parent = call.parent
    while parent is not None:
        if parent.type == "call" and call_name(parent) in _MIGRATION_OPS:
            return False
        parent = parent.parent
    return True


def _operation(call: Node, direction: str) -> dict[str, Any]:
    op = call_name(call)
    args = call_args(call)
    operation: dict[str, Any] = {"op": op, "direction": direction, "line": line_of(call)}
    target = args[0] if args else None
    if target is None or target.type != "call" or op == "execute":
        operation["args"] = ", ".join(node_text(a) for a in args)
        return operation
    target_args = call_args(target)
    operation["object"] = call_name(target)
    operation["table"] = str(jsonable(literal(target_args[0]))) if target_args else ""
    if operation["object"] in ("index", "unique_index") and len(target_args) > 1:
        operation["columns"] = _names(target_args[1], {})
    operation["options"] = _trailing_options(target)
    if len(args) > 1:  # rename table(:a), to: table(:b); rename table(:a), :x, to: :y
        operation["args"] = ", ".join(node_text(a) for a in args[1:])
    columns = [_column(c) for c in do_block_children(call) if call_name(c) in _COLUMN_OPS]
    if columns:
        operation["columns"] = columns
    return operation


def _column(call: Node) -> dict[str, Any]:
    op = call_name(call)
    args = call_args(call)
    column: dict[str, Any] = {"op": op, "line": line_of(call)}
    if op == "timestamps":
        column["options"] = _trailing_options(call)
        return column
    column["name"] = str(jsonable(literal(args[0]))) if args else ""
    type_node = args[1] if len(args) > 1 and args[1].type != "keywords" else None
    if type_node is not None and type_node.type == "call" and call_name(type_node) == "references":
        ref_args = call_args(type_node)
        column["type"] = "references"
        column["references"] = str(jsonable(literal(ref_args[0]))) if ref_args else ""
        column["reference_options"] = _trailing_options(type_node)
    elif type_node is not None:
        column["type"] = _type_name(type_node, {})
    column["options"] = _trailing_options(call)
    return column


# --- Rendering ----------------------------------------------------------------------------


def _with_options(text: str, options: dict[str, str]) -> str:
    if not options:
        return text
    return text + " (" + ", ".join(f"{k}: {v}" for k, v in options.items()) + ")"


def _render_schema(fact: Fact) -> str:
    where = "embedded" if fact["embedded"] else f'"{fact["source"]}"'
    keys = ", ".join(f"{k['name']}:{k['type']}" for k in fact["primary_key"]) or "none"
    parts = [f"schema {fact['module']} {where} pk {keys}"]
    parts += [_with_options(f"{f['name']}:{f['type']}", f["options"]) for f in fact["fields"]]
    parts += [
        _with_options(f"{a['kind']} {a['name']} -> {a['target']}", a["options"])
        for a in fact["assocs"] + fact["embeds"]
    ]
    if fact["timestamps"]:
        parts.append(f"timestamps {fact['timestamps']['type']}")
    return "; ".join(parts)


def _render_step(step: dict[str, Any]) -> str:
    args = [", ".join(step["fields"]) if len(step["fields"]) > 1 else "".join(step["fields"])]
    args = [a for a in [*args, step["options"]] if a]
    custom = " (custom)" if step.get("custom") else ""
    return f"{step['call']}({', '.join(args)}){custom}"


def _render_changeset(fact: Fact) -> str:
    steps = " |> ".join(_render_step(s) for s in fact["steps"]) or "no steps"
    return f"changeset {fact['module']}.{fact['function']}: {steps}"


def _render_repo(fact: Fact) -> str:
    return f"repo {fact['module']} otp_app :{fact['otp_app']} adapter {fact['adapter']}"


def _render_operation(op: dict[str, Any]) -> str:
    direction = "" if op["direction"] == "change" else f"{op['direction']}: "
    if "object" not in op:
        return f"{direction}{op['op']}({op.get('args', '')})"
    text = f"{direction}{op['op']} {op['object']}({op['table']})"
    columns = op.get("columns", [])
    if columns and isinstance(columns[0], str):
        text += " [" + ", ".join(columns) + "]"
    elif columns:
        text += " [" + ", ".join(_render_column(c) for c in columns) + "]"
    return text


def _render_column(column: dict[str, Any]) -> str:
    if column["op"] == "timestamps":
        return _with_options("timestamps", column["options"])
    text = f"{column['op']} {column['name']}"
    if "references" in column:
        text += f":references({column['references']})"
    elif "type" in column:
        text += f":{column['type']}"
    return text


def _render_migration(fact: Fact) -> str:
    ops = "; ".join(_render_operation(op) for op in fact["operations"]) or "no operations"
    return f"migration {fact['version']} {fact['name']}: {ops}"


_RENDERERS = {
    "schema": _render_schema,
    "changeset": _render_changeset,
    "repo": _render_repo,
    "migration": _render_migration,
}

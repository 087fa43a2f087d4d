"""The mix project: apps, dependencies as declared in mix.exs and as locked in mix.lock.

Both files are read as syntax trees (mix.lock is an Elixir map); mix is never run.
Per file: ``mix_project`` (one per mix.exs), ``dep`` (one per declared dependency) and
``locked`` (one per mix.lock entry). ``combine`` joins them: each dep gets its locked
version, and the project gets its umbrella apps and detected stack.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    ModuleNode,
    Unresolved,
    attribute_name,
    call_args,
    do_block_children,
    jsonable,
    keyword_nodes,
    line_of,
    literal,
    module_attributes,
    node_text,
)

# Dependency -> what it tells about the stack, in the order a summary lists them.
STACK_DEPS = {
    "phoenix": "Phoenix",
    "phoenix_live_view": "LiveView",
    "ecto_sql": "Ecto",
    "ecto": "Ecto",
    "oban": "Oban",
    "oban_pro": "Oban Pro",
    "absinthe": "Absinthe",
    "libcluster": "libcluster",
    "horde": "Horde",
    "broadway": "Broadway",
    "gen_stage": "GenStage",
    "commanded": "Commanded",
    "ash": "Ash",
    "nx": "Nx",
    "bandit": "Bandit",
    "plug_cowboy": "Cowboy",
}
ECTO_ADAPTERS = {
    "postgrex": "Postgres",
    "myxql": "MySQL",
    "ecto_sqlite3": "SQLite",
    "tds": "MSSQL",
}
_DEP_OPTIONS = ("only", "runtime", "optional", "override", "app", "targets")
_SOURCE_OPTIONS = ("git", "github", "path", "in_umbrella", "hex", "organization", "repo")
_REF_OPTIONS = ("tag", "branch", "ref", "sparse", "submodules")


class ProjectGroup:
    name: ClassVar[str] = "project"
    tool_name: ClassVar[str] = "mix_deps"
    tool_description: ClassVar[str] = (
        "The mix project: app name, version, Elixir requirement, umbrella apps, the detected "
        "stack, and every dependency with its requirement or source (hex, git, path, "
        "in_umbrella), options (only, runtime, optional, override) and locked version from "
        "mix.lock; flags deps declared but not locked. Filter by dependency name."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.path.endswith(("mix.exs", "mix.lock"))

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        if file.path.endswith("mix.lock"):
            return _lock_facts(file)
        return _mix_file_facts(file)

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        projects = [f for f in facts if f["kind"] == "mix_project"]
        locked = {f["name"]: f for f in facts if f["kind"] == "locked" and f["file"] == "mix.lock"}
        deps = [_with_lock(f, locked.get(f["name"])) for f in facts if f["kind"] == "dep"]
        declared = {d["name"] for d in deps}
        combined = [_summary(projects, deps, locked)] if projects else []
        combined += [p for p in projects if p["file"] != "mix.exs"]
        combined += deps
        required_by: dict[str, list[str]] = {}
        for lock in locked.values():
            for name in lock.get("requires", []):
                required_by.setdefault(name, []).append(lock["name"])
        combined += [
            {**lock, "kind": "locked_only", "required_by": sorted(required_by.get(name, []))}
            for name, lock in sorted(locked.items())
            if name not in declared
        ]
        return combined

    def render(self, fact: Fact) -> str:
        where = f"{fact['file']}:{fact['line']}"
        kind = fact["kind"]
        if kind == "summary":
            apps = (
                f" umbrella apps: {', '.join(fact['umbrella_apps'])};" if fact["umbrella"] else ""
            )
            stack = describe(fact["stack"]) or "plain Elixir"
            name = f"{fact['app'] or '(umbrella)'} {fact['version'] or ''}".strip()
            return f"project {name} (Elixir {fact['elixir'] or '?'});{apps} stack: {stack} {where}"
        if kind == "mix_project":
            deps = ", ".join(fact["in_umbrella_deps"]) or "none"
            return f"app {fact['app']} {fact['version'] or ''} (in_umbrella deps: {deps}) {where}"
        if kind == "locked_only":
            via = ", ".join(fact["required_by"][:3]) or "nothing: stale lock entry"
            return (
                f"locked {fact['name']} {fact['version']}, not declared (needed by {via}) {where}"
            )
        return _render_dep(fact, where)


def describe(stack: list[dict[str, Any]]) -> str:
    """``Phoenix 1.7.14, LiveView 1.0.1, Ecto (Postgres), Oban 2.18.3``."""
    parts = []
    for item in stack:
        if item.get("adapter"):
            parts.append(f"{item['label']} ({item['adapter']})")
        else:
            parts.append(f"{item['label']} {item['version'] or ''}".strip())
    return ", ".join(parts)


# --- mix.exs ------------------------------------------------------------------------------


def _mix_file_facts(file: ParsedFile) -> list[Fact]:
    facts: list[Fact] = []
    for module in file.modules:
        functions = _private_functions(module)
        attributes = module_attributes(module)
        project_call = functions.get("project")
        if project_call is None:
            continue
        settings = keyword_nodes(_last_expression(project_call))
        value = _resolver(functions, attributes)
        project: Fact = {
            "kind": "mix_project",
            "module": module.name,
            "app": _scalar(value(settings.get("app"))),
            "version": _scalar(value(settings.get("version"))),
            "elixir": _scalar(value(settings.get("elixir"))),
            "apps_path": _scalar(value(settings.get("apps_path"))),
            "in_umbrella_deps": [],
            "file": file.path,
            "line": line_of(project_call),
        }
        deps = _dep_facts(value(settings.get("deps")), file.path, project["app"])
        project["in_umbrella_deps"] = [d["name"] for d in deps if d["source"] == "in_umbrella"]
        facts += [project, *deps]
    return facts


def _private_functions(module: ModuleNode) -> dict[str, Node]:
    """Zero-arity ``def``/``defp`` by name (``project``, ``deps``): the shape of a mix.exs."""
    functions: dict[str, Node] = {}
    for node, head in module.functions.items():
        if head.arity == 0:
            functions.setdefault(head.name, node)
    return functions


def _last_expression(function: Node) -> Node | None:
    body = do_block_children(function)
    return body[-1] if body else None


def _resolver(functions: dict[str, Node], attributes: dict[str, Node]):
    """Follows ``deps()`` / ``deps`` to the private function and ``@version`` to its value."""

    def value(node: Node | None) -> Node | None:
        if node is None:
            return None
        if node.type in ("call", "identifier") and not call_args(node):
            name = node_text(node).removesuffix("()")
            if name in functions:
                return _last_expression(functions[name])
        if (attribute := attribute_name(node)) is not None:
            return attributes.get(attribute)
        return node

    return value


def _scalar(node: Node | None) -> Any:
    if node is None:
        return None
    value = literal(node)
    return value.text if isinstance(value, Unresolved) else jsonable(value)


def _dep_facts(deps_node: Node | None, path: str, app: str | None) -> list[Fact]:
    if deps_node is None or deps_node.type != "list":
        return []
    facts = []
    for item in deps_node.named_children:
        if item.type == "tuple":
            fact = _dep_fact(item, path, app)
            if fact:
                facts.append(fact)
    return facts


def _dep_fact(tuple_node: Node, path: str, app: str | None) -> Fact | None:
    parts = [c for c in tuple_node.named_children if c.type != "comment"]
    if not parts or parts[0].type != "atom":
        return None
    requirement = None
    options: dict[str, Node] = {}
    for part in parts[1:]:
        if part.type == "string":
            requirement = _scalar(part)
        else:
            options = keyword_nodes(part)
    source = next((key for key in _SOURCE_OPTIONS if key in options), "hex")
    fact: Fact = {
        "kind": "dep",
        "name": node_text(parts[0]).lstrip(":"),
        "declared_by": app,
        "requirement": requirement,
        "source": source,
        "source_value": _scalar(options.get(source)) if source != "hex" else None,
        "file": path,
        "line": line_of(tuple_node),
    }
    for key in (*_REF_OPTIONS, *_DEP_OPTIONS):
        if key in options:
            fact[key] = _scalar(options[key])
    return fact


def _with_lock(dep: Fact, lock: Fact | None) -> Fact:
    not_locked = lock is None and dep["source"] not in ("in_umbrella", "path")
    return {**dep, "locked": lock["version"] if lock else None, "not_locked": not_locked}


def _render_dep(fact: Fact, where: str) -> str:
    if fact["source"] == "hex":
        origin = fact["requirement"] or "any"
    elif fact["source"] == "in_umbrella":
        origin = "in_umbrella"
    else:
        origin = f"{fact['source']}: {fact['source_value']}"
        refs = [f"{key}: {fact[key]}" for key in _REF_OPTIONS if key in fact]
        origin = ", ".join([origin, *refs])
    options = [f"{key}: {_show(fact[key])}" for key in _DEP_OPTIONS if key in fact]
    if fact["file"] != "mix.exs":
        options.append(f"in app {fact['declared_by']}")
    locked = f"locked {fact['locked']}" if fact.get("locked") else ""
    if fact.get("not_locked"):
        locked = "NOT LOCKED (run mix deps.get)"
    details = "; ".join(x for x in [origin, *options, locked] if x)
    return f"dep {fact['name']} ({details}) {where}"


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(f":{v}" for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return f":{value}" if isinstance(value, str) and value.isidentifier() else str(value)


# --- mix.lock -----------------------------------------------------------------------------


def _lock_facts(file: ParsedFile) -> list[Fact]:
    facts = []
    for pair in _lock_pairs(file.tree.root_node):  # type: ignore[union-attr]
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key is None or value is None or value.type != "tuple":
            continue
        entry = [c for c in value.named_children if c.type != "comment"]
        manager = node_text(entry[0]).lstrip(":") if entry else "?"
        fact: Fact = {
            "kind": "locked",
            "name": node_text(key).strip().removesuffix(":").strip('"'),
            "manager": manager,
            "version": None,
            "file": file.path,
            "line": line_of(pair),
        }
        if manager in ("hex", "hex_package") and len(entry) >= 6:
            fact["version"] = _scalar(entry[2])
            fact["requires"] = _lock_requirements(entry[5])
        elif manager == "git" and len(entry) >= 3:
            fact["version"] = f"git {str(_scalar(entry[2]))[:12]}"
            fact["url"] = _scalar(entry[1])
        facts.append(fact)
    return facts


def _lock_requirements(deps_list: Node) -> list[str]:
    """``[{:decimal, "~> 2.0", [...]}, ...]`` -> ["decimal", ...]."""
    names = []
    for item in deps_list.named_children:
        first = item.named_children[0] if item.type == "tuple" and item.named_children else None
        if first is not None and first.type == "atom":
            names.append(node_text(first).lstrip(":"))
    return names


def _lock_pairs(root: Node) -> list[Node]:
    """The ``"name": {...}`` pairs of the lock file's top-level map."""
    pairs: list[Node] = []
    for top in root.named_children:
        if top.type != "map":
            continue
        for content in top.named_children:
            for keywords in content.named_children:
                if keywords.type == "keywords":
                    pairs.extend(c for c in keywords.named_children if c.type == "pair")
    return pairs


# --- summary ------------------------------------------------------------------------------


def _summary(projects: list[Fact], deps: list[Fact], locked: dict[str, Fact]) -> Fact:
    root = next((p for p in projects if p["file"] == "mix.exs"), projects[0])
    apps = sorted(p["app"] for p in projects if p["file"] != "mix.exs" and p["app"])
    return {
        "kind": "summary",
        "app": root["app"],
        "version": root["version"],
        "elixir": root["elixir"],
        "umbrella": bool(root["apps_path"]),
        "umbrella_apps": apps,
        "stack": _stack(deps, locked),
        "file": root["file"],
        "line": root["line"],
    }


def _stack(deps: list[Fact], locked: dict[str, Fact]) -> list[dict[str, Any]]:
    declared = {d["name"]: d for d in deps}
    names = set(declared)
    stack: list[dict[str, Any]] = []
    for dep, label in STACK_DEPS.items():
        if dep not in names or any(item["label"] == label for item in stack):
            continue
        version = locked[dep]["version"] if dep in locked else None
        if version is None and dep in declared:
            version = declared[dep]["requirement"]
        item: dict[str, Any] = {"label": label, "dep": dep, "version": version}
        if label == "Ecto":
            item["adapter"] = next((a for d, a in ECTO_ADAPTERS.items() if d in names), None)
        stack.append(item)
    return stack

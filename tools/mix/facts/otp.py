"""OTP facts: applications, supervisors, GenServers, process registries and clustering.

Per file, each a dict with ``kind``, ``file`` and ``line``:

- ``application``: a module that ``use Application``, with the children its ``start/2``
  passes to ``Supervisor.start_link`` and the strategy;
- ``supervisor``: a ``Supervisor`` / ``DynamicSupervisor`` (or Horde's) module with the
  children and strategy of its ``init/1``;
- ``genserver``: a ``GenServer`` module with its ``handle_call`` / ``handle_cast`` /
  ``handle_info`` / ``handle_continue`` clauses, the message pattern as written;
- ``process_api``: a call to Registry, DynamicSupervisor, Task.Supervisor,
  PartitionSupervisor or Horde, or a ``{:via, Registry, ...}`` name;
- ``cluster``: libcluster topologies of one ``config :libcluster`` call.

A child is ``{"spec": as written, "module": the module it starts or None, "line": ...}``.
``combine`` adds one ``tree`` fact per application: its children, and under each child that
is a supervisor of the project, that supervisor's children.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    ModuleNode,
    call_args,
    call_name,
    do_block_children,
    enclosing,
    expand_alias,
    find_calls,
    first_param,
    keyword_args,
    keywords_to_nodes,
    line_of,
    literal,
    module_aliases,
    module_uses,
    node_text,
    nodes_at,
    one_line,
    show,
    used_module,
)

_SUPERVISOR_USES = frozenset({"Supervisor", "DynamicSupervisor", "Horde.DynamicSupervisor"})
_GENSERVER_USES = frozenset({"GenServer"})
_CALLBACKS = frozenset({"handle_call", "handle_cast", "handle_info", "handle_continue"})
_START_CALLS = frozenset({"Supervisor.start_link", "Supervisor.init", "supervise"})
_PROCESS_MODULES = (
    "Registry",
    "DynamicSupervisor",
    "Task.Supervisor",
    "PartitionSupervisor",
    "Horde.Registry",
    "Horde.DynamicSupervisor",
)
_PROCESS_MARKERS = tuple(f"{name}.".encode() for name in _PROCESS_MODULES) + (b":via",)
_PROCESS_MODULE_NAMES = re.compile(
    rb"(?:" + b"|".join(re.escape(name.encode()) for name in _PROCESS_MODULES) + rb")\b"
)
_WANTED_WORDS = (b"Supervisor", b"GenServer", b"use Application", b"Registry", b"libcluster")
_MAX_SPEC = 120  # characters of a child spec shown as written


class OtpFacts:
    name: ClassVar[str] = "otp"
    tool_name: ClassVar[str] = "otp_tree"
    tool_description: ClassVar[str] = (
        "The OTP supervision tree: each Application's children (as written and the module "
        "each resolves to), Supervisors' children and strategy, GenServers with their "
        "handle_call/handle_cast/handle_info message patterns, Registry / DynamicSupervisor / "
        "Task.Supervisor / PartitionSupervisor use, and clustering (libcluster topologies, "
        "Horde), each with file:line."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.is_elixir and any(word in file.source for word in _WANTED_WORDS)

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        root = file.tree.root_node
        facts: list[Fact] = []
        if file.path.endswith(".exs") and b"libcluster" in file.source:
            clusters = (_cluster(call, file.path) for call in file.config_calls)
            facts += [fact for fact in clusters if fact is not None]
        modules = file.modules
        for module in modules:
            facts += _module_facts(module, file.path)
        if any(marker in file.source for marker in _PROCESS_MARKERS):
            facts += _process_calls(root, modules, file.path)
        return sorted(facts, key=lambda fact: fact["line"])

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        supervisors = {f["module"]: f for f in facts if f["kind"] == "supervisor"}
        roles = {f["module"]: f["kind"] for f in facts if f["kind"] in ("supervisor", "genserver")}
        trees = [
            {
                "kind": "tree",
                "module": app["module"],
                "children": _subtree(app["children"], supervisors, roles, {app["module"]}),
                "file": app["file"],
                "line": app["line"],
            }
            for app in facts
            if app["kind"] == "application"
        ]
        return trees + facts

    def render(self, fact: Fact) -> str:
        text = " ".join(_RENDERERS[fact["kind"]](fact).split())  # values may span lines
        return f"{text}  {fact['file']}:{fact['line']}"


# --- Per module ---------------------------------------------------------------------------


def _module_facts(module: ModuleNode, path: str) -> list[Fact]:
    uses = {used_module(use): use for use in module_uses(module) if call_args(use)}
    facts: list[Fact] = []
    base = {"module": module.name, "file": path}
    for name, use in uses.items():
        if name.startswith("Horde."):
            facts.append({"kind": "horde", **base, "uses": name, "line": line_of(use)})
    behaviour = next((name for name in uses if name in _SUPERVISOR_USES), None)
    is_genserver = _is_genserver(module, uses)
    if not (is_genserver or behaviour or "Application" in uses):
        return facts
    aliases = module_aliases(module)
    functions = list(module.functions.items())
    if "Application" in uses:
        start = next((n for n, h in functions if h.name == "start" and h.arity == 2), None)
        if start is not None:
            supervision = _supervision(start, module, functions, aliases)
            facts.append({"kind": "application", **base, **supervision, "line": line_of(start)})
    if behaviour is not None:
        init = next((n for n, h in functions if h.name == "init"), None)
        supervision = _supervision(init, module, functions, aliases)
        facts.append(
            {"kind": "supervisor", **base, "behaviour": behaviour, **supervision}
            | {"line": line_of(uses[behaviour])}
        )
    if is_genserver:
        facts.append(_genserver(module, uses, functions, path))
    return facts


def _is_genserver(module: ModuleNode, uses: dict[str, Node]) -> bool:
    if _GENSERVER_USES & uses.keys():
        return True
    return any(
        node.type == "unary_operator" and re.fullmatch(r"@behaviour\s+GenServer", node_text(node))
        for node in module.body
    )


def _genserver(
    module: ModuleNode, uses: dict[str, Node], functions: list[tuple[Node, Any]], path: str
) -> Fact:
    use = uses.get("GenServer")
    callbacks = [
        {"callback": head.name, "message": _message(node), "line": head.line}
        for node, head in functions
        if head.name in _CALLBACKS and head.kind == "def"
    ]
    return {
        "kind": "genserver",
        "module": module.name,
        "options": {k: show(literal(v)) for k, v in keyword_args(use).items()} if use else {},
        "callbacks": callbacks,
        "file": path,
        "line": line_of(use) if use is not None else line_of(module.node),
    }


def _message(definition: Node) -> str:
    """The first parameter of ``def handle_call(msg, from, state) when ...``, as written."""
    param = first_param(definition)
    return _compact(node_text(param)) if param is not None else ""


def _process_calls(root: Node, modules: list[ModuleNode], path: str) -> list[Fact]:
    """Registry/DynamicSupervisor/... calls and ``{:via, Registry, ...}`` names, found where
    those module names occur in the file, each attributed to the innermost module around it."""
    by_node = {module.node.id: module for module in modules}
    facts = []
    for module_name in nodes_at(root, _PROCESS_MODULE_NAMES):
        call = _process_call(module_name)
        if call is None:
            continue
        owner = enclosing(call, lambda n: n.id in by_node)
        if owner is None:
            continue
        called = f"{{:via, {node_text(module_name)}, ...}}" if call.type == "tuple" else None
        facts.append(
            {
                "kind": "process_api",
                "module": by_node[owner.id].name,
                "call": called or call_name(call),
                "file": path,
                "line": line_of(call),
            }
        )
    return facts


def _process_call(module_name: Node) -> Node | None:
    """The ``Registry.x(...)`` call or the ``{:via, Registry, ...}`` tuple around an alias."""
    parent = module_name.parent
    if module_name.type != "alias" or parent is None:
        return None
    if parent.type == "dot" and parent.child_by_field_name("left") == module_name:
        call = parent.parent
        if (
            call is not None
            and call.type == "call"
            and call.child_by_field_name("target") == parent
        ):
            return call
    if parent.type == "tuple":
        items = parent.named_children
        if len(items) > 1 and items[1] == module_name and node_text(items[0]) == ":via":
            return parent
    return None


# --- Children and strategy ----------------------------------------------------------------


def _supervision(
    function: Node | None,
    module: ModuleNode,
    functions: list[tuple[Node, Any]],
    aliases: dict[str, str],
) -> dict[str, Any]:
    """Children and strategy of the ``Supervisor.start_link`` / ``init`` call in a function."""
    calls = find_calls(function, _START_CALLS | {"DynamicSupervisor.init"}) if function else []
    for call in calls:
        args = call_args(call)
        if call_name(call) == "DynamicSupervisor.init":
            return {"children": [], "strategy": _strategy(args[0] if args else None, function)}
        if not args or args[0].type == "alias":  # Supervisor.start_link(__MODULE__, arg)
            continue
        items = _list_items(args[0], function, functions, depth=0)
        return {
            "children": [_child(item, aliases, module.name) for item in items],
            "strategy": _strategy(args[1] if len(args) > 1 else None, function),
        }
    return {"children": [], "strategy": None}


def _assigned(name: str, function: Node) -> Node | None:
    """The value of the last ``name = value`` among the function's top-level expressions."""
    value = None
    for expr in do_block_children(function):
        if expr.type != "binary_operator" or node_text(expr.child_by_field_name("operator")) != "=":
            continue
        if node_text(expr.child_by_field_name("left")) == name:
            value = expr.child_by_field_name("right")
    return value


def _list_items(
    node: Node | None, function: Node, functions: list[tuple[Node, Any]], depth: int
) -> list[Node]:
    """The elements of a children list, following a variable, ``++`` and local functions
    that return a list; anything else is one opaque element."""
    if node is None or depth > 4:
        return []
    if node.type == "list":
        return [c for c in node.named_children if c.type != "comment"]
    if node.type == "identifier":
        return _list_items(_assigned(node_text(node), function), function, functions, depth + 1)
    operator = node.child_by_field_name("operator") if node.type == "binary_operator" else None
    if operator is not None and node_text(operator) == "++":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return _list_items(left, function, functions, depth + 1) + _list_items(
            right, function, functions, depth + 1
        )
    if node.type == "call" and not call_args(node):
        local = next((n for n, h in functions if h.name == call_name(node) and h.arity == 0), None)
        body = do_block_children(local) if local is not None else []
        if body and body[-1].type == "list":
            return _list_items(body[-1], local, functions, depth + 1)
    return [node]


def _strategy(node: Node | None, function: Node) -> str | None:
    if node is not None and node.type == "identifier":
        node = _assigned(node_text(node), function)
    if node is None:
        return None
    options = keywords_to_nodes(node) if node.type == "keywords" else {}
    if node.type == "list":
        value = literal(node)
        return str(value["strategy"]) if isinstance(value, dict) and "strategy" in value else None
    strategy = options.get("strategy")
    return node_text(strategy).lstrip(":") if strategy is not None else None


def _child(node: Node, aliases: dict[str, str], module: str) -> dict[str, Any]:
    return {
        "spec": _compact(node_text(node)),
        "module": _child_module(node, aliases, module),
        "line": line_of(node),
    }


def _child_module(node: Node, aliases: dict[str, str], module: str) -> str | None:
    """The module a child spec starts: ``X``, ``{X, opts}``, ``Supervisor.child_spec(X, ..)``,
    ``X.child_spec(..)`` or ``%{start: {X, :start_link, args}}``."""
    name = node_text(node)
    if name == "__MODULE__" or (node.type == "dot" and name.startswith("__MODULE__.")):
        return expand_alias(name, aliases, module)
    if node.type == "alias":
        return expand_alias(name, aliases)
    if node.type == "tuple" and node.named_children:
        return _child_module(node.named_children[0], aliases, module)
    if node.type == "call":
        name = call_name(node)
        args = call_args(node)
        if name == "Supervisor.child_spec" and args:
            return _child_module(args[0], aliases, module)
        target = node.child_by_field_name("target")
        left = target.child_by_field_name("left") if target is not None else None
        if name.endswith(".child_spec") and left is not None:
            return _child_module(left, aliases, module)
    if node.type == "map":
        for content in node.named_children:
            for keywords in content.named_children:
                options = keywords_to_nodes(keywords) if keywords.type == "keywords" else {}
                if "start" in options:
                    return _child_module(options["start"], aliases, module)
    return None


def _compact(text: str) -> str:
    """One line, shortened, without the space a line break leaves inside brackets."""
    return one_line(re.sub(r"\[\s+", "[", re.sub(r"\s+\]", "]", text)), _MAX_SPEC)


# --- Clustering ---------------------------------------------------------------------------


def _cluster(call: Node, path: str) -> Fact | None:
    """``config :libcluster, topologies: [name: [strategy: ..., config: [...]]]``."""
    args = call_args(call)
    if not args or node_text(args[0]) != ":libcluster":
        return None
    topologies = keyword_args(call).get("topologies")
    if topologies is None:
        return None
    value = literal(topologies)
    if isinstance(value, dict):
        listed = [_topology(str(name), options) for name, options in value.items()]
    elif value == []:  # `topologies: []` configures none
        listed = []
    else:  # not a literal, e.g. read from the environment
        listed = [{"name": node_text(topologies), "strategy": None, "options": {}}]
    return {"kind": "cluster", "topologies": listed, "file": path, "line": line_of(call)}


def _topology(name: str, options: Any) -> dict[str, Any]:
    if not isinstance(options, dict):
        return {"name": name, "strategy": None, "options": {}}
    return {
        "name": name,
        "strategy": show(options.get("strategy")),
        "options": {key: show(value) for key, value in options.items() if key != "strategy"},
    }


# --- Combine ------------------------------------------------------------------------------


def _subtree(
    children: list[dict[str, Any]],
    supervisors: dict[str, Fact],
    roles: dict[str, str],
    seen: set[str],
) -> list[dict[str, Any]]:
    """Children with their role in the project; a project supervisor's own children nested."""
    nodes = []
    for child in children:
        node = {**child, "role": roles.get(child["module"])}
        supervisor = supervisors.get(child["module"])
        if supervisor is not None and child["module"] not in seen:
            node["strategy"] = supervisor["strategy"]
            node["children"] = _subtree(
                supervisor["children"], supervisors, roles, seen | {child["module"]}
            )
        nodes.append(node)
    return nodes


# --- Rendering ----------------------------------------------------------------------------


def _render_children(children: list[dict[str, Any]]) -> str:
    return ", ".join(child["spec"] for child in children)


def _render_tree_nodes(nodes: list[dict[str, Any]]) -> str:
    """Modules (or specs when unresolved), a supervisor's strategy and children nested."""
    parts = []
    for node in nodes:
        text = node["module"] or node["spec"]
        if node["role"] == "genserver":
            text += " (GenServer)"
        if "children" in node:
            text += f" ({node['strategy'] or '?'}) -> [{_render_tree_nodes(node['children'])}]"
        parts.append(text)
    return ", ".join(parts)


def _render_tree(fact: Fact) -> str:
    return f"supervision tree {fact['module']} -> [{_render_tree_nodes(fact['children'])}]"


def _render_application(fact: Fact) -> str:
    strategy = fact.get("strategy") or "?"
    children = _render_children(fact.get("children", []))
    return f"application {fact['module']} ({strategy}) children [{children}]"


def _render_supervisor(fact: Fact) -> str:
    strategy = fact.get("strategy") or "?"
    children = _render_children(fact["children"])
    return f"{fact['behaviour']} {fact['module']} ({strategy}) children [{children}]"


def _render_genserver(fact: Fact) -> str:
    callbacks = ", ".join(f"{c['callback']}({c['message']})" for c in fact["callbacks"])
    return f"GenServer {fact['module']}: {callbacks or 'no handle_* callbacks'}"


def _render_process_api(fact: Fact) -> str:
    return f"{fact['call']} in {fact['module']}"


def _render_horde(fact: Fact) -> str:
    return f"{fact['module']} uses {fact['uses']}"


def _render_cluster(fact: Fact) -> str:
    topologies = ", ".join(f"{t['name']} ({t['strategy']})" for t in fact["topologies"])
    return f"libcluster topologies {topologies or 'none'}"


_RENDERERS = {
    "tree": _render_tree,
    "application": _render_application,
    "supervisor": _render_supervisor,
    "genserver": _render_genserver,
    "process_api": _render_process_api,
    "cluster": _render_cluster,
    "horde": _render_horde,
}

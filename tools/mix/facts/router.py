"""Phoenix routes: every route of the routers, and the sockets of the endpoints.

The router DSL is read the way Phoenix expands it: nested ``scope`` paths are joined and their
aliases prefixed to the route modules, ``pipe_through`` accumulates through nesting,
``live_session`` names and ``on_mount`` hooks carry down, ``resources`` expand to their
actions. What cannot be known without running the code (a path built from a variable, a route
inside ``for``, a macro call that may define routes, a syntax error) becomes an
``unresolved`` fact with its line instead of a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    Unresolved,
    call_args,
    call_name,
    do_block_children,
    find_calls,
    keyword_args,
    line_of,
    literal,
    node_text,
    one_line,
    use_target,
)

VERBS = frozenset({"get", "post", "put", "patch", "delete", "options", "head", "connect", "trace"})
ROUTE_MACROS = VERBS | {"match", "live", "resources", "forward", "live_dashboard"}
_SCOPING = frozenset({"scope", "live_session", "pipe_through", "if", "unless", "for"})
# Router-body calls that never define routes.
_DECLARATIONS = frozenset(
    {"use", "import", "alias", "require", "pipeline", "plug", "@", "def", "defp", "defmacro"}
    | {"defmacrop", "defdelegate", "defoverridable", "defmodule"}
)

# (action, verb, path suffix for a plural resource, path suffix for a singleton), in the
# order ``mix phx.routes`` lists them; ``{member}`` is ``/:id`` (or ``/:<param>``).
_RESOURCE_ROUTES = [
    ("index", "get", "", None),
    ("edit", "get", "{member}/edit", "/edit"),
    ("new", "get", "/new", "/new"),
    ("show", "get", "{member}", ""),
    ("create", "post", "", ""),
    ("update", "patch", "{member}", ""),
    ("update", "put", "{member}", ""),
    ("delete", "delete", "{member}", ""),
]


@dataclass
class _Scope:
    """What the enclosing ``scope``/``live_session``/``if`` blocks give the routes inside."""

    router: str | None
    path: str = ""
    alias: str | None = None
    pipelines: list[str] = field(default_factory=list)
    live_session: str | None = None
    on_mount: list[str] = field(default_factory=list)
    condition: str | None = None
    unresolved: str | None = None  # why routes in here cannot be resolved, if they cannot


class RouterFacts:
    name: ClassVar[str] = "routes"
    tool_name: ClassVar[str] = "phoenix_routes"
    tool_description: ClassVar[str] = (
        "Phoenix routes: verb, full path, controller or LiveView module, action, pipelines, "
        "live_session and on_mount, plus endpoint sockets; routes that cannot be resolved "
        "statically are listed as UNRESOLVED with their line."
    )

    def wants(self, file: SourceFile) -> bool:
        return file.is_elixir and any(
            marker in file.source for marker in (b"Phoenix.Router", b":router", b"Endpoint")
        )

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        root = file.tree.root_node
        statements = [root] if root.type == "ERROR" else root.named_children
        walker = _RouterWalker(file.path)
        walker.statements(statements, _Scope(router=None), top=True)
        return walker.facts

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        return facts

    def render(self, fact: Fact) -> str:
        where = f"{fact['file']}:{fact['line']}"
        if fact["kind"] == "unresolved":
            return f"UNRESOLVED {fact['code']} ({fact['reason']}) {where}"
        parts = [fact["verb"].upper(), fact["path"], fact.get("module") or ""]
        if fact.get("action"):
            parts.append(f":{fact['action']}")
        if fact.get("pipelines"):
            parts.append("pipe_through=" + ",".join(fact["pipelines"]))
        if fact.get("live_session"):
            parts.append(f"live_session={fact['live_session']}")
        if fact.get("on_mount"):
            parts.append("on_mount=" + ",".join(fact["on_mount"]))
        if fact.get("transports"):
            parts.append("transports=" + ",".join(fact["transports"]))
        if fact.get("condition"):
            parts.append(f"if {fact['condition']}")
        return " ".join(p for p in parts if p) + f" {where}"


class _RouterWalker:
    """Walks router and endpoint modules statement by statement, collecting facts."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.facts: list[Fact] = []

    def statements(self, nodes: list[Node], scope: _Scope, top: bool = False) -> None:
        for node in nodes:
            if node.type == "ERROR":
                # What parses inside a syntax error is reported, as unresolved: its enclosing
                # scope is unknown.
                lines = f"{line_of(node)}-{node.end_point.row + 1}"
                broken = replace(scope, unresolved=f"inside a syntax error, lines {lines}")
                self.statements(node.named_children, broken)
            elif node.type == "call":
                self._call(node, scope, top)

    def _call(self, call: Node, scope: _Scope, top: bool) -> None:
        name = call_name(call)
        if name == "defmodule":
            self._module(call)
        elif top:
            return  # outside any router module: scripts, config
        elif name in ROUTE_MACROS:
            self._route_macro(name, call, scope)
        elif name in _SCOPING:
            self._scoping(name, call, scope)
        elif name not in _DECLARATIONS and scope.router is not None:
            self._unresolved(call, scope, "macro call that may define routes")

    def _module(self, call: Node) -> None:
        args = call_args(call)
        module = node_text(args[0]) if args else ""
        body = do_block_children(call)
        uses = [use_target(node) for node in body if call_name(node) == "use"]
        if any(u in ("Phoenix.Router", ":router") for u in uses):
            self.statements(body, _Scope(router=module))
        elif "Phoenix.Endpoint" in uses:
            for socket in find_calls(call, ["socket"]):
                self._socket(socket, module)
        else:
            self.statements(body, _Scope(router=None), top=True)  # nested modules

    def _scoping(self, name: str, call: Node, scope: _Scope) -> None:
        if name == "pipe_through":
            args = call_args(call)
            value = literal(args[0]) if args else []
            pipes = value if isinstance(value, list) else [value]
            scope.pipelines.extend(_text(p) for p in pipes)
        elif name == "scope":
            self.statements(do_block_children(call), _nested_scope(call, scope))
        elif name == "live_session":
            self.statements(do_block_children(call), _live_session(call, scope))
        elif name in ("if", "unless"):
            self._conditional(name, call, scope)
        elif name == "for":
            routes = find_calls(call, ROUTE_MACROS) or [call]
            for route in routes:
                self._unresolved(route, scope, "inside a for comprehension")

    def _conditional(self, name: str, call: Node, scope: _Scope) -> None:
        args = call_args(call)
        condition = node_text(args[0]) if args else ""
        negated = f"not {condition}"
        then, otherwise = (condition, negated) if name == "if" else (negated, condition)
        # `if` opens no scope: pipe_through inside it still applies after it, so share the list.
        self.statements(do_block_children(call), replace(scope, condition=then))
        self.statements(_else_children(call), replace(scope, condition=otherwise))

    def _route_macro(self, name: str, call: Node, scope: _Scope) -> None:
        args = call_args(call)
        if name == "match":
            verb, args = _text(literal(args[0])) if args else "", args[1:]
        else:
            verb = name
        if any(arg.type == "ERROR" for arg in args):
            scope = replace(scope, unresolved="syntax error in the arguments")
        path = literal(args[0]) if args else None
        if not isinstance(path, str):
            scope = replace(scope, unresolved=scope.unresolved or "path is not a literal")
        if scope.unresolved:
            self._unresolved(call, scope, scope.unresolved)
        elif name == "resources":
            self._resources(call, args, scope)
        elif name == "live_dashboard":
            self._route(call, scope, "live_dashboard", path, "Phoenix.LiveDashboard", None)
        else:
            module = _route_module(args[1], scope) if len(args) > 1 else None
            action = _action(args[2]) if len(args) > 2 and verb != "forward" else None
            self._route(call, scope, verb, path, module, action)

    def _resources(self, call: Node, args: list[Node], scope: _Scope) -> None:
        path = literal(args[0])
        controller = args[1] if len(args) > 1 else None
        options = keyword_args(call)
        actions = _resource_actions(options)
        if controller is None or actions is None:
            self._unresolved(call, scope, "resources options are not literals")
            return
        singleton = literal(options["singleton"]) is True if "singleton" in options else False
        param = _text(literal(options["param"])) if "param" in options else "id"
        module = _route_module(controller, scope)
        for action, verb, plural_suffix, singleton_suffix in _RESOURCE_ROUTES:
            suffix = singleton_suffix if singleton else plural_suffix
            if action in actions and suffix is not None:
                member = suffix.replace("{member}", f"/:{param}")
                self._route(call, scope, verb, path + member, module, action)
        nested = do_block_children(call)
        if nested:
            name = _text(literal(options["name"])) if "name" in options else _resource_name(module)
            member_path = path if singleton else f"{path}/:{name}_{param}"
            path_prefix = _join(scope.path, member_path)
            inner = replace(scope, path=path_prefix, pipelines=[*scope.pipelines])
            self.statements(nested, inner)

    def _route(
        self,
        call: Node,
        scope: _Scope,
        verb: str,
        path: str,
        module: str | None,
        action: str | None,
    ) -> None:
        fact: Fact = {
            "kind": "route",
            "verb": verb,
            "path": _join(scope.path, path),
            "module": module,
            "action": action,
            "pipelines": list(scope.pipelines),
            "router": scope.router,
            "file": self.path,
            "line": line_of(call),
        }
        if verb == "live" or scope.live_session:
            fact["live_session"] = scope.live_session
            fact["on_mount"] = list(scope.on_mount)
        if scope.condition:
            fact["condition"] = scope.condition
        self.facts.append(fact)

    def _socket(self, call: Node, endpoint: str) -> None:
        args = call_args(call)
        path = literal(args[0]) if args else None
        if not isinstance(path, str) or len(args) < 2:
            self.facts.append(_unresolved_fact(call, endpoint, self.path, "socket path unknown"))
            return
        self.facts.append(
            {
                "kind": "socket",
                "verb": "socket",
                "path": path,
                "module": node_text(args[1]),
                "transports": _transports(keyword_args(call)),
                "router": endpoint,
                "file": self.path,
                "line": line_of(call),
            }
        )

    def _unresolved(self, call: Node, scope: _Scope, reason: str) -> None:
        self.facts.append(_unresolved_fact(call, scope.router, self.path, reason))


# --- Scope arithmetic ---------------------------------------------------------------------


def _nested_scope(call: Node, scope: _Scope) -> _Scope:
    """The scope a ``scope path, Alias, opts do`` call opens inside ``scope``."""
    positional = [a for a in call_args(call) if a.type != "keywords"]
    options = keyword_args(call)
    path = literal(positional[0]) if positional and positional[0].type != "alias" else None
    if "path" in options:
        path = literal(options["path"])
    alias_node = next((a for a in positional if a.type == "alias"), options.get("alias"))
    alias = scope.alias
    if alias_node is not None:
        value = literal(alias_node)
        alias = None if value is False else _prefixed(scope.alias, node_text(alias_node))
    inner = replace(scope, alias=alias, pipelines=[*scope.pipelines])
    if path is None:
        return inner
    if not isinstance(path, str):
        return replace(inner, unresolved=inner.unresolved or "scope path is not a literal")
    return replace(inner, path=_join(scope.path, path))


def _live_session(call: Node, scope: _Scope) -> _Scope:
    args = call_args(call)
    name = _text(literal(args[0])) if args else None
    on_mount = keyword_args(call).get("on_mount")
    hooks: list[str] = []
    if on_mount is not None:
        items = on_mount.named_children if on_mount.type == "list" else [on_mount]
        hooks = [one_line(node_text(item)) for item in items]
    # live_session opens no scope: it shares the enclosing scope's pipe_through list.
    return replace(scope, live_session=name, on_mount=hooks)


def _join(prefix: str, path: str) -> str:
    parts = [part.strip("/") for part in (prefix, path)]
    return "/" + "/".join(part for part in parts if part)


def _prefixed(alias: str | None, module: str) -> str:
    return f"{alias}.{module}" if alias else module


def _route_module(node: Node, scope: _Scope) -> str:
    text = node_text(node)
    return _prefixed(scope.alias, text) if node.type == "alias" else text


def _action(node: Node) -> str | None:
    if node.type == "keywords":
        return None
    return _text(literal(node))


def _resource_actions(options: dict[str, Node]) -> set[str] | None:
    """The actions ``only:``/``except:`` leave; None when they are not literal lists."""
    all_actions = {action for action, *_ in _RESOURCE_ROUTES}
    if "only" in options:
        only = literal(options["only"])
        return {str(a) for a in only} if isinstance(only, list) else None
    if "except" in options:
        excluded = literal(options["except"])
        return all_actions - {str(a) for a in excluded} if isinstance(excluded, list) else None
    return all_actions


def _transports(options: dict[str, Node]) -> list[str]:
    """Phoenix enables websocket unless ``websocket: false``, longpoll only when given."""
    enabled = []
    for transport, default in (("websocket", True), ("longpoll", False)):
        value = literal(options[transport]) if transport in options else default
        if value is not False and value is not None:
            enabled.append(transport)
    return enabled


def _resource_name(module: str) -> str:
    """``KanbanWeb.BoardController`` -> ``board`` (Phoenix.Naming.resource_name)."""
    last = module.rsplit(".", 1)[-1].removesuffix("Controller")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", last).lower()


# --- Small helpers ------------------------------------------------------------------------


def _else_children(call: Node) -> list[Node]:
    block = next((c for c in call.named_children if c.type == "do_block"), None)
    if block is None:
        return []
    otherwise = next((c for c in block.named_children if c.type == "else_block"), None)
    return [] if otherwise is None else [c for c in otherwise.named_children if c.type != "comment"]


def _text(value: object) -> str:
    return value.text if isinstance(value, Unresolved) else str(value)


def _unresolved_fact(call: Node, router: str | None, path: str, reason: str) -> Fact:
    return {
        "kind": "unresolved",
        "code": one_line(node_text(call)),
        "reason": reason,
        "router": router,
        "file": path,
        "line": line_of(call),
    }

"""Real-time messaging: PubSub, Endpoint broadcasts, Presence, and Phoenix channels.

One fact per call or declaration, with the topic and event as written in the source (an
interpolated topic keeps its ``#{...}``), the module and function it sits in, and its line:

- ``pubsub``: ``Phoenix.PubSub.broadcast/broadcast_from/local_broadcast/subscribe...`` and
  ``<App>Web.Endpoint.broadcast/subscribe...``;
- ``presence``: ``<App>Web.Presence.track/untrack/update/list/get_by_key``;
- ``channel``: a ``channel "board:*", BoardChannel`` line of a socket module;
- ``join`` / ``handle_in`` / ``handle_out``: the clauses of a channel module;
- ``channel_out``: ``push/broadcast!/broadcast_from!/reply`` inside a channel module.

Calls are found by name anywhere in the file (``calls_matching``), so a syntax error elsewhere
in the file does not hide them.
"""

from __future__ import annotations

import re
from typing import ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    call_args,
    call_name,
    calls_matching,
    do_block_children,
    enclosing_module,
    first_param,
    function_head,
    line_of,
    node_text,
    pipe_source,
    use_target,
    written,
)

# Function -> index of the topic argument; the message or event follows the topic.
_PUBSUB_TOPIC_ARG = {
    "broadcast": 1,
    "broadcast!": 1,
    "broadcast_from": 2,
    "broadcast_from!": 2,
    "local_broadcast": 1,
    "local_broadcast_from": 2,
    "direct_broadcast": 2,
    "direct_broadcast!": 2,
    "subscribe": 1,
    "unsubscribe": 1,
}
_ENDPOINT_TOPIC_ARG = {
    "broadcast": 0,
    "broadcast!": 0,
    "broadcast_from": 1,
    "broadcast_from!": 1,
    "local_broadcast": 0,
    "local_broadcast_from": 1,
    "subscribe": 0,
    "unsubscribe": 0,
}
_PRESENCE_FUNS = frozenset({"track", "untrack", "update", "list", "get_by_key"})
# Presence arity when the pid and topic are given explicitly (otherwise a socket is).
_PRESENCE_PID_ARITY = {"track": 4, "untrack": 3, "update": 4}
_CHANNEL_PUSHES = frozenset({"push", "broadcast", "broadcast!", "broadcast_from"})
_CHANNEL_PUSHES |= {"broadcast_from!", "reply"}
_CHANNEL_CALLBACKS = frozenset({"join", "handle_in", "handle_out"})

_REMOTE_FUNS = sorted(set(_PUBSUB_TOPIC_ARG) | set(_ENDPOINT_TOPIC_ARG) | _PRESENCE_FUNS)
_LOCAL_FUNS = sorted(_CHANNEL_PUSHES | {"channel", "def"})


_REMOTE_NAMES = "|".join(re.escape(name) for name in _REMOTE_FUNS)
_LOCAL_NAMES = "|".join(re.escape(name) for name in _LOCAL_FUNS)


class RealtimeFacts:
    name: ClassVar[str] = "realtime"
    tool_name: ClassVar[str] = "pubsub_and_channels"
    tool_description: ClassVar[str] = (
        "PubSub broadcasts and subscriptions, Endpoint broadcasts, Presence calls, channel "
        "routes of sockets, channel join/handle_in clauses and pushes, with topics and events "
        "as written and file:line; use it to trace who publishes and who listens to a topic."
    )

    def wants(self, file: SourceFile) -> bool:
        markers = (b"PubSub", b"Endpoint.", b"Presence", b"Channel", b"Phoenix.Socket")
        return file.is_elixir and any(marker in file.source for marker in markers)

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        reader = _FileReader(file.path)
        root = file.tree.root_node
        for call in calls_matching(root, _REMOTE_NAMES, module="PubSub|Endpoint|Presence"):
            if _on_module_name(call):
                reader.remote_call(call)
        if b"channel" in file.source:  # local calls matter only in sockets and channels
            for call in calls_matching(root, _LOCAL_NAMES, remote=False):
                reader.local_call(call)
        return sorted(reader.facts, key=lambda f: f["line"])

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        return facts

    def render(self, fact: Fact) -> str:
        parts = [fact["kind"], fact.get("op") or ""]
        for key in ("topic", "event", "message", "key", "channel"):
            if fact.get(key) is not None:
                parts.append(f"{key}={fact[key]}")
        where = ".".join(p for p in (fact["module"], fact.get("function")) if p)
        if where:
            parts.append(f"in {where}")
        return " ".join(p for p in parts if p) + f" {fact['file']}:{fact['line']}"


class _FileReader:
    """Turns the calls of one file into facts, knowing each call's module and function."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.facts: list[Fact] = []
        self._module_kinds: dict[int, str | None] = {}

    def remote_call(self, call: Node) -> None:
        target = call.child_by_field_name("target")
        module = node_text(target.child_by_field_name("left")) if target else ""
        fun = node_text(target.child_by_field_name("right")) if target else ""
        args = _args_with_pipe(call)
        if module in ("Phoenix.PubSub", "PubSub") and fun in _PUBSUB_TOPIC_ARG:
            self._pubsub(call, f"PubSub.{fun}", args, _PUBSUB_TOPIC_ARG[fun], "message")
        elif module.endswith("Endpoint") and fun in _ENDPOINT_TOPIC_ARG:
            self._pubsub(call, f"{module}.{fun}", args, _ENDPOINT_TOPIC_ARG[fun], "event")
        elif module.endswith("Presence") and module != "Phoenix.Presence":
            self._presence(call, fun, args)

    def local_call(self, call: Node) -> None:
        name = call_name(call)
        kind = self._kind_of(enclosing_module(call))
        if name == "channel" and kind == "socket":
            self._channel_route(call)
        elif name == "def" and kind == "channel":
            self._channel_callback(call)
        elif name in _CHANNEL_PUSHES and kind == "channel":
            args = _args_with_pipe(call)
            event = written(args[1]) if len(args) > 1 else None
            self._add(call, "channel_out", op=name, event=event)

    def _pubsub(
        self, call: Node, op: str, args: list[Node | None], topic_at: int, payload: str
    ) -> None:
        """``payload`` names what follows the topic: a PubSub message or an Endpoint event."""
        topic = written(args[topic_at]) if len(args) > topic_at else None
        following = written(args[topic_at + 1]) if len(args) > topic_at + 1 else None
        self._add(call, "pubsub", op=op, topic=topic, **{payload: following})

    def _presence(self, call: Node, fun: str, args: list[Node | None]) -> None:
        explicit_topic = len(args) == _PRESENCE_PID_ARITY.get(fun)
        topic_at = 1 if explicit_topic else 0
        topic = written(args[topic_at]) if len(args) > topic_at else None
        key = written(args[topic_at + 1]) if fun != "list" and len(args) > topic_at + 1 else None
        self._add(call, "presence", op=fun, topic=topic, key=key)

    def _channel_route(self, call: Node) -> None:
        args = call_args(call)
        if len(args) >= 2:
            self._add(call, "channel", topic=written(args[0]), channel=node_text(args[1]))

    def _channel_callback(self, call: Node) -> None:
        head = function_head(call)
        if head is None or head.name not in _CHANNEL_CALLBACKS or head.arity != 3:
            return
        first = written(first_param(call))
        if head.name == "join":
            self._add(call, "join", topic=first)
        else:
            self._add(call, head.name, event=first)

    def _add(self, call: Node, kind: str, **values: str | None) -> None:
        module, function = _location(call)
        fact: Fact = {"kind": kind, **values, "module": module, "function": function}
        self.facts.append({**fact, "file": self.path, "line": line_of(call)})

    def _kind_of(self, module: Node | None) -> str | None:
        """``channel`` or ``socket`` for modules that use Phoenix.Channel/Socket (or the
        ``use MyAppWeb, :channel`` form), else None; cached per module."""
        if module is None:
            return None
        if module.id not in self._module_kinds:
            self._module_kinds[module.id] = _use_kind(module)
        return self._module_kinds[module.id]


def _on_module_name(call: Node) -> bool:
    """``Phoenix.PubSub.broadcast(...)``: called on a module name, not on a variable."""
    target = call.child_by_field_name("target")
    module = target.child_by_field_name("left") if target is not None else None
    return module is not None and module.type == "alias"


# --- Where a call sits --------------------------------------------------------------------


def _use_kind(defmodule: Node) -> str | None:
    for node in do_block_children(defmodule):
        if node.type != "call" or call_name(node) != "use":
            continue
        target = use_target(node)
        if target in ("Phoenix.Channel", ":channel"):
            return "channel"
        if target in ("Phoenix.Socket", ":socket"):
            return "socket"
    return None


def _location(call: Node) -> tuple[str | None, str | None]:
    """The full name of the module around ``call`` and ``name/arity`` of its function."""
    names: list[str] = []
    function = None
    node = call.parent
    while node is not None:
        if node.type == "call":
            name = call_name(node)
            if name == "defmodule":
                args = call_args(node)
                names.insert(0, node_text(args[0]) if args else "?")
            elif function is None and (head := function_head(node)) is not None:
                function = f"{head.name}/{head.arity}"
        node = node.parent
    return (".".join(names) or None), function


def _args_with_pipe(call: Node) -> list[Node | None]:
    """The call's arguments, with a ``None`` first when a ``|>`` supplies the first one."""
    args: list[Node | None] = list(call_args(call))
    if pipe_source(call) is not None:
        args.insert(0, None)
    return args

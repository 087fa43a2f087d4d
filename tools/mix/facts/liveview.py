"""LiveViews and LiveComponents: callbacks, events, messages, PubSub, streams, templates.

One fact per LiveView or LiveComponent module. Its templates are read with the HEEx grammar:
the ``~H`` sigils in the module, and the colocated ``<name>.html.heex`` next to the module's
file (attached in ``combine``, since it is another file). From the templates come the
``phx-*`` event bindings (``phx-click="archive"``, ``phx-submit={JS.push("save")}``) with
their ``phx-target``, so a reader can match what the page sends to the ``handle_event``
clauses that receive it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import (
    ModuleNode,
    call_args,
    call_name,
    calls_matching,
    elixir_parser,
    enclosing_module,
    find_calls,
    first_param,
    heex_parser,
    line_of,
    literal,
    module_aliases,
    module_uses,
    node_text,
    nodes_at,
    one_line,
    use_target,
)

_KINDS = {
    "Phoenix.LiveView": "live_view",
    "Phoenix.LiveComponent": "live_component",
    ":live_view": "live_view",
    ":live_component": "live_component",
}
_CALLBACKS = ("mount", "handle_params", "update", "update_many", "render", "handle_async")
_STREAM_OPS = frozenset(
    {"stream", "stream_insert", "stream_delete", "stream_delete_by_dom_id", "stream_configure"}
)
EVENT_BINDINGS = frozenset(
    {"phx-click", "phx-click-away", "phx-capture-click", "phx-submit", "phx-change"}
    | {"phx-blur", "phx-focus", "phx-window-blur", "phx-window-focus"}
    | {"phx-keydown", "phx-keyup", "phx-window-keydown", "phx-window-keyup"}
    | {"phx-viewport-top", "phx-viewport-bottom"}
)
# Found by where their names occur in the source (see parse.nodes_at), not by tree queries.
_BINDING_NAMES = re.compile(
    rb"(?:"
    + b"|".join(n.encode() for n in sorted(EVENT_BINDINGS, key=len, reverse=True))
    + rb")(?![\w-])"
)
_LIVE_COMPONENT = re.compile(rb"<\.(live_component)\b")
_SIGIL_H = re.compile(rb"~(H)")
_STREAM_NAMES = "|".join(sorted(_STREAM_OPS))


class LiveViewFacts:
    name: ClassVar[str] = "liveviews"
    tool_name: ClassVar[str] = "liveviews"
    tool_description: ClassVar[str] = (
        "LiveViews and LiveComponents: mount/handle_params, handle_event names, handle_info "
        "message patterns, PubSub subscriptions, streams, and the phx-* events their "
        "templates (colocated .heex or ~H) send, each with file:line."
    )

    def wants(self, file: SourceFile) -> bool:
        if file.is_heex:
            return True  # any template may be a LiveView's colocated one
        markers = (b"LiveView", b"live_view", b"LiveComponent", b"live_component")
        return file.is_elixir and any(marker in file.source for marker in markers)

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        if file.is_heex:
            template = _template(file.tree.root_node, file.path, 1, "colocated", first_line=1)
            return [{"kind": "template", **template}]
        return [
            _liveview(module, kind, file.path)
            for module in file.modules
            if (kind := _liveview_kind(module)) is not None
        ]

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        """Attach each colocated template to its module; drop templates of other modules."""
        templates = {f["file"]: f for f in facts if f["kind"] == "template"}
        liveviews = []
        for view in (f for f in facts if f["kind"] != "template"):
            path = PurePosixPath(view["file"])
            colocated = templates.get(str(path.with_name(path.stem + ".html.heex")))
            # A render/1 function is used instead of any colocated template.
            if colocated is not None and "render" not in view["callbacks"]:
                attached = {k: v for k, v in colocated.items() if k != "kind"}
                view = {**view, "templates": [*view["templates"], attached]}
            liveviews.append(view)
        return liveviews

    def render(self, fact: Fact) -> str:
        sections = [
            f"{fact['type']} {fact['module']}: " + _items(fact["callbacks"].items()),
            _section("handle_event", [(_event_label(e), e["line"]) for e in fact["events"]]),
            _section("handle_info", [(i["pattern"], i["line"]) for i in fact["infos"]]),
            _section("subscribes", [(s["call"], s["line"]) for s in fact["subscriptions"]]),
            _section("streams", [(f"{s['op']}:{s['name']}", s["line"]) for s in fact["streams"]]),
            *(_template_section(t) for t in fact["templates"]),
        ]
        return " | ".join(s for s in sections if s) + f" {fact['file']}:{fact['line']}"


# --- Which modules are LiveViews ----------------------------------------------------------


def _liveview_kind(module: ModuleNode) -> str | None:
    """``use Phoenix.LiveView`` / ``use KanbanWeb, :live_view`` (and components) -> kind."""
    for use in module_uses(module):
        if (key := use_target(use)) in _KINDS:
            return _KINDS[key]
    return None


def _liveview(module: ModuleNode, kind: str, path: str) -> Fact:
    found = {
        "def": calls_matching(module.node, "def", remote=False),
        "subscribe": calls_matching(module.node, "subscribe", local=False),
        "stream": calls_matching(module.node, _STREAM_NAMES, remote=False),
        "sigil": _sigils(module.node),
    }
    callbacks: dict[str, int] = {}
    events: list[Fact] = []
    infos: list[Fact] = []
    for node in _own(module, found.get("def", [])):
        head = module.head(node)
        if head is None:
            continue
        if head.name in _CALLBACKS:
            callbacks.setdefault(head.name, head.line)
        elif head.name == "handle_event" and head.arity == 3:
            events.append(_event_clause(first_param(node), head.line))
        elif head.name == "handle_info" and head.arity == 2:
            infos.append({"pattern": one_line(node_text(first_param(node))), "line": head.line})
    return {
        "kind": "liveview",
        "type": kind,
        "module": module.name,
        "callbacks": callbacks,
        "events": events,
        "infos": infos,
        "subscriptions": _subscriptions(module, _own(module, found.get("subscribe", []))),
        "streams": _streams(_own(module, found.get("stream", []))),
        "templates": _sigil_templates(_own(module, found.get("sigil", [])), path),
        "file": path,
        "line": line_of(module.node),
    }


def _own(module: ModuleNode, nodes: list[Node]) -> list[Node]:
    """The nodes of ``module`` itself, not of a nested module, in source order. Found by name
    anywhere below it, so a clause swallowed by a syntax error in the clause before it
    still counts."""
    body = set(module.body)  # most are the body's own: no need to walk up to their module
    return [n for n in nodes if n in body or enclosing_module(n) == module.node]


def _sigils(node: Node) -> list[Node]:
    """The ``~H`` sigils under ``node``, found from their ``H``."""
    names = nodes_at(node, _SIGIL_H)
    return [name.parent for name in names if name.type == "sigil_name" and name.parent is not None]


def _event_clause(param: Node | None, line: int) -> Fact:
    name = literal(param)
    if isinstance(name, str) and param is not None and param.type == "string":
        return {"name": name, "line": line}
    return {"name": None, "pattern": one_line(node_text(param)), "line": line}


def _subscriptions(module: ModuleNode, calls: list[Node]) -> list[Fact]:
    """Calls of any ``X.subscribe``: PubSub and Endpoint directly, or a context's wrapper."""
    aliases = module_aliases(module)
    found = []
    for call in calls:
        callee, args = call_name(call, aliases), call_args(call)
        topic = None
        if callee == "Phoenix.PubSub.subscribe" and len(args) > 1:
            topic = node_text(args[1])
        elif callee.endswith("Endpoint.subscribe") and args:
            topic = node_text(args[0])
        found.append({"call": one_line(node_text(call)), "topic": topic, "line": line_of(call)})
    return found


def _streams(calls: list[Node]) -> list[Fact]:
    found = []
    for call in calls:
        name = next((a for a in call_args(call) if a.type == "atom"), None)
        if name is not None:
            found.append({"op": call_name(call), "name": str(literal(name)), "line": line_of(call)})
    return found


# --- Templates ----------------------------------------------------------------------------


def _sigil_templates(sigils: list[Node], path: str) -> list[Fact]:
    templates = []
    for sigil in sigils:
        content = next((c for c in sigil.named_children if c.type == "quoted_content"), None)
        if content is None:
            continue
        root = heex_parser().parse(content.text or b"").root_node
        templates.append(_template(root, path, line_of(sigil), "~H", first_line=line_of(content)))
    return sorted(templates, key=lambda t: t["line"])


def _template(root: Node, path: str, line: int, source: str, first_line: int) -> Fact:
    """A template's facts; ``first_line`` is the file line of the HEEx text's first line."""
    bindings, components = _template_facts(root, first_line)
    return {
        "source": source,
        "bindings": bindings,
        "live_components": components,
        "file": path,
        "line": line,
    }


def _template_facts(root: Node, first_line: int) -> tuple[list[Fact], list[Fact]]:
    """The phx-* event bindings and the ``<.live_component module={...}>`` of a HEEx tree."""
    offset = first_line - 1
    bindings = []
    for name in nodes_at(root, _BINDING_NAMES):
        if name.type == "attribute_name" and name.parent is not None:
            attribute = name.parent
            bindings.append(
                _binding(attribute, _attribute_name(attribute), line_of(attribute) + offset)
            )
    components = []
    for function in nodes_at(root, _LIVE_COMPONENT):
        name_node = function.parent
        if function.type != "function" or name_node is None or name_node.type != "component_name":
            continue
        module = _sibling_attribute(name_node, "module")
        if module is not None:
            line = line_of(name_node) + offset
            components.append({"module": _attribute_text(module), "line": line})
    return bindings, components


def _binding(attribute: Node, binding: str, line: int) -> Fact:
    value = _attribute_value(attribute)
    fact: Fact = {"binding": binding, "events": [], "line": line}
    if value is not None and value.type == "quoted_attribute_value":
        fact["events"] = [_attribute_text(attribute)]
    elif value is not None:
        expression = _attribute_text(attribute)
        fact["events"] = _pushed_events(expression)
        fact["expression"] = one_line(expression)
    target = _sibling_attribute(attribute, "phx-target")
    if target is not None:
        fact["target"] = _attribute_text(target)
    return fact


def _pushed_events(expression: str) -> list[str]:
    """Event names in an attribute expression: ``{"save"}``, ``{JS.push("save") |> ...}``."""
    tree = elixir_parser().parse(expression.encode())
    top = tree.root_node.named_children
    if len(top) == 1 and top[0].type == "string" and isinstance(literal(top[0]), str):
        return [literal(top[0])]
    events = []
    for push in find_calls(tree.root_node, ["JS.push", "Phoenix.LiveView.JS.push"]):
        name = next((a for a in call_args(push) if a.type == "string"), None)
        if name is not None and isinstance(literal(name), str):
            events.append(literal(name))
    return events


def _attribute_name(attribute: Node) -> str:
    return node_text(
        next((c for c in attribute.named_children if c.type == "attribute_name"), None)
    )


def _attribute_value(attribute: Node) -> Node | None:
    return next((c for c in attribute.named_children if c.type != "attribute_name"), None)


def _attribute_text(attribute: Node) -> str:
    """The value as written, without its quotes or braces."""
    value = _attribute_value(attribute)
    if value is None:
        return ""
    inner = next((c for c in value.named_children if c.type.endswith("value")), None)
    return node_text(inner if inner is not None else value)


def _sibling_attribute(node: Node, name: str) -> Node | None:
    """The attribute ``name`` on the same tag as ``node`` (an attribute or a component name)."""
    tag = node.parent
    if tag is None:
        return None
    return next(
        (c for c in tag.named_children if c.type == "attribute" and _attribute_name(c) == name),
        None,
    )


# --- Rendering helpers --------------------------------------------------------------------


def _items(items: Iterable[tuple[str, int]]) -> str:
    return " ".join(f"{text}@{line}" for text, line in items)


def _section(label: str, items: list[tuple[str, int]]) -> str:
    return f"{label} {_items(items)}" if items else ""


def _template_section(template: Fact) -> str:
    items = [(_binding_label(b), b["line"]) for b in template["bindings"]]
    items += [(f"live_component={c['module']}", c["line"]) for c in template["live_components"]]
    return f"template {template['file']}:{template['line']} {_items(items)}".rstrip()


def _event_label(event: Fact) -> str:
    return f'"{event["name"]}"' if event["name"] is not None else event["pattern"]


def _binding_label(binding: Fact) -> str:
    sent = ",".join(f'"{e}"' for e in binding["events"]) or binding.get("expression", "")
    target = f"->{binding['target']}" if "target" in binding else ""
    return f"{binding['binding']}={sent}{target}"

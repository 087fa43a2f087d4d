"""Parsing Elixir and HEEx with tree-sitter, and the node helpers every fact extractor uses.

Nothing here runs project code: Elixir is only read as a syntax tree. Values that are not
plain literals (variables, function calls, interpolated strings) come back as ``Unresolved``
so an extractor can show the source text instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import tree_sitter_elixir
import tree_sitter_language_pack
from tree_sitter import Language, Node, Parser, Tree

if TYPE_CHECKING:
    from tools.mix.facts.base import ParsedFile

ELIXIR = Language(tree_sitter_elixir.language())

_SKIPPED_ARG_TYPES = frozenset({"comment"})
_SKIPPED_BLOCK_TYPES = _SKIPPED_ARG_TYPES | {"else_block", "rescue_block"}
# Field ids of the hot helpers below: looking a field up by name costs twice as much.
_TARGET, _LEFT, _RIGHT, _OPERATOR = (
    ELIXIR.field_id_for_name(name) for name in ("target", "left", "right", "operator")
)


@cache
def elixir_parser() -> Parser:
    return Parser(ELIXIR)


@cache
def heex_parser() -> Parser:
    return tree_sitter_language_pack.get_parser("heex")


def parse_source(path: str, source: bytes) -> ParsedFile:
    """Parse ``source`` as Elixir (.ex/.exs, and mix.lock which is an Elixir map) or HEEx
    (.heex); other files get no tree."""
    # Imported here, not at the top: the facts package imports this module for its groups.
    from tools.mix.facts.base import ParsedFile

    if path.endswith((".ex", ".exs", "mix.lock")):
        tree = elixir_parser().parse(source)
    elif path.endswith(".heex"):
        tree = heex_parser().parse(source)
    else:
        return ParsedFile(path=path, source=source)
    return ParsedFile(path=path, source=source, tree=tree, first_error_line=first_error_line(tree))


def first_error_line(tree: Tree) -> int | None:
    """1-based line of the first ERROR or MISSING node, descending only into broken subtrees."""
    node = tree.root_node
    if not node.has_error:
        return None
    while True:
        if node.is_missing:
            return line_of(node)
        if node.is_error:
            return _error_line_within(node)
        broken = next((c for c in node.children if c.has_error), None)
        if broken is None:
            return line_of(node)
        node = broken


def _error_line_within(error: Node) -> int:
    """An ERROR node often starts at the last good token (a ``do``) and swallows the valid
    code after it; the parser got stuck at the first stray token after that valid code."""
    seen_valid = False
    for child in error.children:
        if child.is_error or child.is_missing:
            return line_of(child)
        if child.is_named and not child.has_error:
            seen_valid = True
        elif seen_valid:
            return line_of(child)
    return line_of(error)


# --- Basic node helpers -------------------------------------------------------------------


def node_text(node: Node | None) -> str:
    text = None if node is None else node.text  # each access copies the bytes
    return "" if text is None else text.decode("utf-8", errors="replace")


def line_of(node: Node) -> int:
    """1-based line where ``node`` starts."""
    return node.start_point.row + 1


def operator(node: Node) -> str:
    """The operator of a binary/unary operator node: ``=>``, ``|>``, ``when``..."""
    token = node.child_by_field_id(_OPERATOR)
    return token.type if token is not None else ""  # an anonymous token's type is its text


def one_line(text: str, limit: int = 100) -> str:
    """Source text on one line, shortened to ``limit`` characters: code shown as written."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def written(node: Node | None, limit: int = 100) -> str | None:
    """A node's source on one line, shortened (``one_line``); None for no node."""
    return None if node is None else one_line(node_text(node), limit)


def pipe_source(call: Node) -> Node | None:
    """``left`` of ``left |> call(...)`` when ``call`` is the right side of a pipe, else None:
    the value a pipe passes as the call's first argument."""
    parent = call.parent
    if (
        parent is not None
        and parent.type == "binary_operator"
        and operator(parent) == "|>"
        and parent.child_by_field_name("right") == call
    ):
        return parent.child_by_field_name("left")
    return None


def enclosing(node: Node, wanted: Callable[[Node], bool]) -> Node | None:
    """The nearest node around ``node`` (not ``node`` itself) for which ``wanted`` is true."""
    parent = node.parent
    while parent is not None and not wanted(parent):
        parent = parent.parent
    return parent


def enclosing_call(node: Node, names: Container[str]) -> Node | None:
    """The nearest call around ``node`` (not ``node`` itself) named one of ``names``."""
    return enclosing(node, lambda n: n.type == "call" and call_name(n) in names)


def enclosing_module(node: Node) -> Node | None:
    """The ``defmodule`` call around ``node``."""
    return enclosing_call(node, ("defmodule",))


def _named(node: Node) -> list[Node]:
    children = node.named_children  # a new list on each access
    for child in children:
        if child.type in _SKIPPED_ARG_TYPES:
            return [c for c in children if c.type not in _SKIPPED_ARG_TYPES]
    return children  # comments are rare: no second list


def call_name(call: Node, aliases: dict[str, str] | None = None) -> str:
    """``def``, ``Repo.insert``, ``Phoenix.PubSub.broadcast``; aliases expanded when given.

    Calls on a variable keep the variable (``socket.assigns``); anything else is its text.
    """
    target = call.child_by_field_id(_TARGET)
    if target is None:
        return ""
    kind = target.type
    if kind == "identifier":
        return node_text(target)
    if kind == "dot":
        left = target.child_by_field_id(_LEFT)
        right = target.child_by_field_id(_RIGHT)
        if left is not None and right is not None:
            module = node_text(left)
            if aliases and left.type == "alias":
                module = expand_alias(module, aliases)
            return f"{module}.{node_text(right)}"
    return re.sub(r"\s+", "", node_text(target))


def call_args(call: Node) -> list[Node]:
    """The call's arguments in order (comments skipped); a trailing keyword list is one node."""
    # A call's children: target, arguments?, do_block?. Broken source can leave the target
    # alone.
    named = call.named_children
    if len(named) < 2:
        return []
    args = named[1]
    return _named(args) if args.type == "arguments" else []


def keywords_to_nodes(keywords: Node) -> dict[str, Node]:
    """``a: 1, "b-c": 2`` -> {"a": <1>, "b-c": <2>}."""
    result: dict[str, Node] = {}
    for pair in _named(keywords):
        key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key is not None and value is not None:
            result[keyword_key(key)] = value
    return result


def keyword_key(key: Node) -> str:
    """The name of a ``keyword`` / ``quoted_keyword`` node: ``only: `` -> ``only``."""
    text = node_text(key).strip()
    text = text.removesuffix(":")
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text


def keyword_nodes(node: Node | None) -> dict[str, Node]:
    """Keys of a keyword list (``[a: 1]`` or bare ``a: 1``) -> value nodes; {} for others."""
    if node is None:
        return {}
    if node.type == "keywords":
        return keywords_to_nodes(node)
    if node.type == "list":
        items = _named(node)
        if len(items) == 1 and items[0].type == "keywords":
            return keywords_to_nodes(items[0])
    return {}


def keyword_args(call: Node) -> dict[str, Node]:
    """The call's trailing keyword list (``get "/", PageController, :home, as: :page``)."""
    args = call_args(call)
    return keyword_nodes(args[-1]) if args else {}


def do_block_children(call: Node) -> list[Node]:
    """Expressions of the call's ``do ... end`` block, or of its ``do:`` keyword."""
    block = next((c for c in call.named_children if c.type == "do_block"), None)
    if block is not None:
        return [c for c in block.named_children if c.type not in _SKIPPED_BLOCK_TYPES]
    body = keyword_args(call).get("do")
    if body is None:
        return []
    if body.type == "block":
        return _named(body)
    return [body]


# --- Literal values -----------------------------------------------------------------------


class Atom(str):
    """An Elixir atom or module name; equal to its name (``Atom("test") == "test"``)."""

    def __repr__(self) -> str:
        return show(self)


@dataclass(frozen=True)
class Unresolved:
    """A value that is not a literal (a variable, a call, an interpolated string...)."""

    text: str

    def __str__(self) -> str:
        return self.text


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "s": " ", "e": "\x1b", "0": "\0", "\\": "\\"}


def _string_value(node: Node) -> str | Unresolved:
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "quoted_content":
            parts.append(node_text(child))
        elif child.type == "escape_sequence":
            char = node_text(child)[1:]
            parts.append(_ESCAPES.get(char, char))
        else:  # interpolation
            return Unresolved(node_text(node))
    return "".join(parts)


def _integer_value(text: str) -> int:
    digits = text.replace("_", "")
    if digits[:2].lower() in ("0x", "0o", "0b"):
        return int(digits, 0)
    if digits.startswith("?"):  # ?a character literal
        return ord(digits[1:2] or "?")
    return int(digits, 10)


def _sigil_value(node: Node) -> Any:
    name = node_text(node.child_by_field_name("name") or node.named_children[0])
    content = next((c for c in node.named_children if c.type == "quoted_content"), None)
    if any(c.type == "interpolation" for c in node.named_children):
        return Unresolved(node_text(node))
    text = node_text(content)
    if name == "w":
        return text.split()
    if name in ("s", "S", "c", "C"):
        return text
    return Unresolved(node_text(node))


def _map_value(node: Node) -> dict[Any, Any] | Unresolved:
    if any(c.type == "struct" for c in node.named_children):
        return Unresolved(node_text(node))
    result: dict[Any, Any] = {}
    for content in node.named_children:
        for item in _named(content):
            if item.type == "keywords":
                result.update(literal(item))
            elif item.type == "binary_operator" and operator(item) == "=>":
                key = literal(item.child_by_field_name("left"))
                if isinstance(key, list | dict):
                    return Unresolved(node_text(node))
                result[key] = literal(item.child_by_field_name("right"))
            else:
                return Unresolved(node_text(node))
    return result


def _list_value(node: Node) -> list[Any] | dict[str, Any]:
    items = _named(node)
    if len(items) == 1 and items[0].type == "keywords":
        return literal(items[0])
    result: list[Any] = []
    for item in items:
        if item.type == "keywords":
            result.extend(literal(item).items())
        else:
            result.append(literal(item))
    return result


def literal(node: Node | None) -> Any:
    """The Python value of a literal node; ``Unresolved(text)`` for anything else.

    atom -> ``Atom``, alias (module name) -> ``Atom``, string/charlist without interpolation
    -> str, integer/float, true/false -> bool, nil -> None, list -> list (a keyword list ->
    dict), tuple -> tuple, map -> dict.
    """
    if node is None:
        return None
    kind = node.type
    text = node_text(node)
    if kind == "atom":
        return Atom(text[1:])
    if kind == "quoted_atom":
        value = _string_value(node)
        return value if isinstance(value, Unresolved) else Atom(value)
    if kind == "alias":
        return Atom(text)
    if kind in ("string", "charlist"):
        return _string_value(node)
    if kind == "integer" or kind == "char":
        return _integer_value(text)
    if kind == "float":
        return float(text.replace("_", ""))
    if kind == "boolean":
        return text == "true"
    if kind == "nil":
        return None
    if kind == "list":
        return _list_value(node)
    if kind == "tuple":
        return tuple(literal(c) for c in _named(node))
    if kind == "keywords":
        return {key: literal(value) for key, value in keywords_to_nodes(node).items()}
    if kind == "map":
        return _map_value(node)
    if kind == "sigil":
        return _sigil_value(node)
    if kind == "unary_operator" and text.startswith("-"):
        value = literal(node.child_by_field_name("operand"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value
    if kind == "block" and len(_named(node)) == 1:  # (expr)
        return literal(_named(node)[0])
    return Unresolved(text)


def jsonable(value: Any) -> Any:
    """A ``literal`` value as JSON data: tuples become lists, ``Unresolved`` its source text."""
    if isinstance(value, Unresolved):
        return value.text
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Atom):
        return str(value)
    return value


def show(value: Any) -> str:
    """A ``literal`` value as compact Elixir-like text: ``:test``, ``"x"``, ``[a: 1]``."""
    if isinstance(value, Unresolved):
        return value.text
    if isinstance(value, Atom):
        return str(value) if value[:1].isupper() else f":{value}"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nil"
    if isinstance(value, tuple):
        return "{" + ", ".join(show(v) for v in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "[" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "]"
    return str(value)


# --- Modules and aliases ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ModuleNode:
    """A module and its body. What several fact groups ask of the body (call names, function
    heads, aliases) is worked out once here: those walks are most of the Python time."""

    name: str  # full name, nesting resolved: "KanbanWeb.BoardLive.Index"
    node: Node  # the defmodule call
    body: list[Node]  # expressions of its do block
    call_names: list[str]  # ``call_name`` of each body expression; "" when it is not a call

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Read through ``module_aliases``, which hands out copies."""
        return _aliases(self)

    @cached_property
    def calls(self) -> dict[str, list[Node]]:
        """The body's calls by name (``"def"``, ``"use"``), each list in source order."""
        calls: dict[str, list[Node]] = {}
        for name, node in zip(self.call_names, self.body, strict=True):
            if name:
                calls.setdefault(name, []).append(node)
        return calls

    @cached_property
    def functions(self) -> dict[Node, FunctionHead]:
        """The head of each ``def``/``defp``/``defmacro``... of the body, in source order."""
        heads = {}
        for name, node in zip(self.call_names, self.body, strict=True):
            if name in DEF_MACROS and (head := self.head(node, name)) is not None:
                heads[node] = head
        return heads

    def head(self, call: Node, name: str | None = None) -> FunctionHead | None:
        """``function_head(call, name)`` of a call in the module, worked out once."""
        if call not in self._heads:
            self._heads[call] = function_head(call, name)
        return self._heads[call]

    @cached_property
    def _heads(self) -> dict[Node, FunctionHead | None]:
        return {}


def iter_modules(tree: Tree) -> Iterator[ModuleNode]:
    """Every ``defmodule`` at the top level or nested in another module's body."""
    top_level = _named(tree.root_node)
    yield from _modules_in(top_level, _call_names(top_level), parent="")


def _call_names(nodes: list[Node]) -> list[str]:
    return [call_name(node) if node.type == "call" else "" for node in nodes]


def _modules_in(nodes: list[Node], names: list[str], parent: str) -> Iterator[ModuleNode]:
    for node, called in zip(nodes, names, strict=True):
        if called != "defmodule":
            continue
        args = call_args(node)
        if not args:
            continue
        name = node_text(args[0])
        if name.startswith("__MODULE__.") and parent:
            name = parent + name.removeprefix("__MODULE__")
        elif parent and args[0].type == "alias":
            name = f"{parent}.{name}"
        body = do_block_children(node)
        module = ModuleNode(name, node, body, _call_names(body))
        yield module
        yield from _modules_in(body, module.call_names, parent=name)


def module_aliases(module: ModuleNode) -> dict[str, str]:
    """Short name -> full name for the module's ``alias`` calls and its nested modules
    (worked out once per module; each caller gets its own copy)."""
    return dict(module.aliases)


def _aliases(module: ModuleNode) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for name, node in zip(module.call_names, module.body, strict=True):
        if name == "alias":
            aliases.update(_alias_call(node, module.name, aliases))
        elif name == "defmodule":
            args = call_args(node)
            if args and args[0].type == "alias":
                short = node_text(args[0]).split(".")[0]
                aliases[short] = f"{module.name}.{short}"
    return aliases


def _alias_call(call: Node, module: str, known: dict[str, str]) -> dict[str, str]:
    args = call_args(call)
    if not args:
        return {}
    target = args[0]
    as_name = keyword_args(call).get("as")
    if (
        target.type == "dot"
        and target.child_by_field_name("right") is not None
        and (
            target.child_by_field_name("right").type == "tuple"  # type: ignore[union-attr]
        )
    ):
        base = expand_alias(node_text(target.child_by_field_name("left")), known, module)
        tails = [node_text(c) for c in _named(target.child_by_field_name("right"))]  # type: ignore[arg-type]
        return {tail.split(".")[-1]: f"{base}.{tail}" for tail in tails}
    full = expand_alias(node_text(target), known, module)
    short = node_text(as_name) if as_name is not None else full.split(".")[-1]
    return {short: full}


def expand_alias(name: str, aliases: dict[str, str], module: str | None = None) -> str:
    """``Board`` -> ``Kanban.Boards.Board`` when aliased; ``Board.Card`` expands its head;
    ``__MODULE__`` and ``__MODULE__.Card`` expand to ``module`` when it is given."""
    if module is not None and (name == "__MODULE__" or name.startswith("__MODULE__.")):
        return module + name.removeprefix("__MODULE__")
    head, dot, rest = name.partition(".")
    full = aliases.get(head)
    if full is None:
        return name
    return full + dot + rest


def used_module(use: Node) -> str:
    """``use Phoenix.LiveView, opts`` -> ``Phoenix.LiveView`` (as written); "" when bare."""
    args = call_args(use)
    return node_text(args[0]) if args else ""


def use_target(use: Node) -> str:
    """What a ``use`` selects: ``use Phoenix.Router`` -> ``Phoenix.Router``,
    ``use KanbanWeb, :router`` -> ``:router``."""
    args = call_args(use)
    if len(args) > 1 and args[1].type == "atom":
        return node_text(args[1])
    return used_module(use)


def module_uses(module: ModuleNode) -> list[Node]:
    """The ``use`` calls of a module's own body, in order."""
    return list(module.calls.get("use", []))


# --- Finding calls fast -------------------------------------------------------------------
#
# A tree-sitter query walks the whole tree, which costs about half as much as parsing it. A
# call is found instead from where its name occurs in the source bytes (a C regex scan), by
# asking the tree for the node at that spot: the cost follows the few matches, not the tree.
# Patterns never start with a look-behind: it would stop the regex engine from skipping ahead
# to its first literal (10 times slower); a match inside a longer name is dropped anyway.


@cache
def _name_regex(names: str, module: str | None = None) -> re.Pattern[bytes]:
    name = rb"(?:" + names.encode() + rb")(?![\w?!])"
    if module is None:
        return re.compile(name)
    return re.compile(rb"(?:" + module.encode() + rb")\s*\.\s*(" + name + rb")")


def nodes_at(node: Node, pattern: re.Pattern[bytes]) -> Iterator[Node]:
    """For each match of ``pattern`` in ``node``'s source, in order, the smallest node under
    ``node`` spanning exactly that match, or its group 1 when it has one (``~(H)``); matches
    inside a larger token are skipped."""
    base = node.start_byte
    group = 1 if pattern.groups else 0
    for match in pattern.finditer(node.text or b""):
        start, end = base + match.start(group), base + match.end(group)
        found = node.descendant_for_byte_range(start, end)
        if found is not None and found.start_byte == start and found.end_byte == end:
            yield found


def calls_matching(
    node: Node,
    names: str,
    *,
    local: bool = True,
    remote: bool = True,
    module: str | None = None,
) -> list[Node]:
    """Calls under ``node`` (``node`` too) whose function name fully matches the regex
    ``names``, in source order: ``name(...)`` when ``local``, ``Any.name(...)`` when
    ``remote``, only ``...<module>.name(...)`` when the regex ``module`` is given (the end of
    the module's name). Calls swallowed by a syntax error elsewhere are still found."""
    local = local and module is None
    calls = []
    for name in nodes_at(node, _name_regex(names, module)):
        parent = name.parent
        if name.type != "identifier" or parent is None:
            continue
        if parent.type == "dot" and remote and parent.child_by_field_name("right") == name:
            name = parent
        elif not local:
            continue
        if (call := call_with_target(name)) is not None:
            calls.append(call)
    return calls


def call_with_target(target: Node) -> Node | None:
    """The call whose target (``def``, ``Repo.insert``'s dot) is ``target``, if any."""
    call = target.parent
    if call is not None and call.type == "call" and call.child_by_field_name("target") == target:
        return call
    return None


def find_calls(
    node: Node, names: Iterable[str], aliases: dict[str, str] | None = None
) -> list[Node]:
    """Every call under ``node`` named one of ``names`` (``"live"``, ``"Repo.insert"``), in
    source order; dotted names are matched in full, aliases expanded."""
    wanted = frozenset(names)
    if not wanted:
        return []
    local = {n for n in wanted if "." not in n}
    remote = {n.rsplit(".", 1)[1] for n in wanted if "." in n}
    calls = calls_matching(node, "|".join(re.escape(n) for n in sorted(local | remote)))
    return [c for c in calls if call_name(c, aliases) in wanted or call_name(c) in wanted]


# --- Function definitions -----------------------------------------------------------------

DEF_MACROS = frozenset({"def", "defp", "defmacro", "defmacrop", "defguard", "defguardp"})


class FunctionHead(NamedTuple):  # a tuple: built ten times faster than a frozen dataclass
    kind: str  # def, defp, defmacro...
    name: str
    arity: int
    defaults: int  # arguments with a `\\` default: the function also has arity - 1.. arities
    line: int

    @property
    def arities(self) -> list[int]:
        return list(range(self.arity - self.defaults, self.arity + 1))


def function_head(call: Node, kind: str | None = None) -> FunctionHead | None:
    """``def name(a, b \\\\ 1) when ...`` -> FunctionHead("def", "name", 2, 1, line);
    ``kind`` is the call's name when the caller already knows it."""
    kind = call_name(call) if kind is None else kind
    if kind not in DEF_MACROS:
        return None
    args = call_args(call)
    if not args:
        return None
    head: Node | None = args[0]
    if head.type == "binary_operator" and operator(head) == "when":  # type: ignore[union-attr]
        head = head.child_by_field_id(_LEFT)  # type: ignore[union-attr]
    if head is None:
        return None
    line = line_of(call)
    if head.type != "call":  # def name, do: ...; def a + b (operator definitions); unusual heads
        return FunctionHead(kind, node_text(head), 0, 0, line)
    params = call_args(head)
    defaults = 0
    for param in params:
        if param.type == "binary_operator" and operator(param) == "\\\\":
            defaults += 1
    return FunctionHead(kind, call_name(head), len(params), defaults, line)


def first_param(def_call: Node) -> Node | None:
    """The first parameter of ``def name(first, ...) when ...``; None when it has none."""
    args = call_args(def_call)
    head = args[0] if args else None
    if head is not None and head.type == "binary_operator" and operator(head) == "when":
        head = head.child_by_field_name("left")
    params = call_args(head) if head is not None and head.type == "call" else []
    return params[0] if params else None


def module_attributes(module: ModuleNode) -> dict[str, Node]:
    """``@version "1.0"`` -> {"version": <"1.0">}: the last value set in the module body."""
    attributes: dict[str, Node] = {}
    for node in module.body:
        if node.type != "unary_operator" or operator(node) != "@":
            continue
        inner = node.child_by_field_name("operand")
        if inner is not None and inner.type == "call":
            args = call_args(inner)
            if len(args) == 1:
                attributes[call_name(inner)] = args[0]
    return attributes


def attribute_name(node: Node) -> str | None:
    """``@impl true`` -> "impl"; None when ``node`` is not a module attribute."""
    if node.type != "unary_operator" or operator(node) != "@":
        return None
    inner = node.child_by_field_name("operand")
    if inner is None:
        return None
    return call_name(inner) if inner.type == "call" else node_text(inner)

"""The project's code a request names (``BoardChannel``, "the board channel", ``move_card``,
``lib/kanban/boards.ex``), and the lookups that show it.

``names`` are those of the project's code (``tools.toolset.project_names``): module names in
full and their last part, functions alone and after their module, source paths.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.untrusted import UNTRUSTED_MARKER

_TOKEN = re.compile(r"[\w.?!/-]+")
_TRAILING = ".,;:!?-"
_CAMEL_CASE = re.compile(r"(?:[A-Z][a-z0-9]+){2,}")
_MODULE_NAME = re.compile(r"\b([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+)\b")
_FUNCTION = re.compile(r"(?:[A-Z][\w.]*\.)?[a-z_][\w?!]*")  # move_card, BoardChannel.join
_ARITY = re.compile(r"(?<=[\w?!])/\d+$")  # move_card/4: the function's name is move_card


def project_mentions(text: str, names: frozenset[str]) -> list[str]:
    """The names of the project's code that the text uses (``BoardChannel``, ``move_card``,
    ``lib/kanban/boards.ex``), in order. Only names written like code count, so the plain word
    "show" never stands for a module ``Show``; but words that spell a module's compound name
    do ("the board channel" is ``BoardChannel``, "the rate limiter" ``RateLimiter``). A
    function written with its arity (``Kanban.Boards.move_card/4``) is named without it."""
    found: list[str] = []
    tokens = _TOKEN.findall(text)
    for index, token in enumerate(tokens):
        spelled = (_spelled_out(tokens[index : index + n]) for n in (3, 2))
        bare = token.rstrip(_TRAILING)
        for candidate in (token, bare, _without_arity(bare), *spelled):
            if candidate in names and _written_like_code(candidate):
                if candidate not in found:
                    found.append(candidate)
                break
    return found


def _without_arity(token: str) -> str:
    """``move_card/4`` -> ``move_card``; a path such as ``/boards/42`` stays as written."""
    name = _ARITY.sub("", token)
    return name if _FUNCTION.fullmatch(name) else token


def _spelled_out(words: list[str]) -> str:
    """The compound name plain words spell ("board channel" or "Board Channel" ->
    "BoardChannel"); "" when they are not all plain words. Only the last may end a sentence."""
    stripped = [word.rstrip(_TRAILING) for word in words]
    inner_ok = all(word == bare for word, bare in zip(words[:-1], stripped[:-1], strict=True))
    if len(words) < 2 or not inner_ok:
        return ""
    if not all(word.isalpha() and (word.islower() or word.istitle()) for word in stripped):
        return ""
    return "".join(word.capitalize() for word in stripped)


def code_lookups(
    request: str, names: frozenset[str], known_only: bool = False
) -> list[tuple[str, dict]]:
    """Modules (``Kanban.Boards``, ``BoardChannel``), functions (``move_card``) and source
    paths the request names, as the calls that show them. Dotted module names are looked up
    even when the project does not define them (the lookup then says so), unless
    ``known_only``. A module named with one of its own functions ("BoardChannel ... on join")
    is read as that function (``BoardChannel.join``), not whole; a path with a line
    (``lib/kanban/boards.ex:151``, a stack trace's frame) as the lines around it; a route's
    path (``/boards/:id`` or ``/boards/42``) as that route's facts."""
    mentioned = project_mentions(request, names)
    modules = _without_short_names([m for m in mentioned if _is_module(m)])
    functions = _without_short_names([m for m in mentioned if _FUNCTION.fullmatch(m)])
    paths = [m for m in mentioned if "/" in m and not m.startswith("/")]  # not "/boards"
    lookups: list[tuple[str, dict]] = []
    qualified: list[str] = []  # Module.function references read in place of their module
    for module in dict.fromkeys(modules):
        own = _own_functions(module, functions, request, names)
        if own:
            lookups += [("find_function", {"reference": reference}) for reference in own]
        else:
            lookups.append(("find_module", {"name": module}))
        qualified += own
    functions = [f for f in functions if not any(q == f or q.endswith(f".{f}") for q in qualified)]
    # Modules the project does not define come last: a pasted trace names many of its
    # dependencies' (Ecto.Repo.Queryable), and its own frames are what it is about.
    unknown = [] if known_only else [m for m in _MODULE_NAME.findall(request) if m not in names]
    return [
        *lookups,
        *(("find_function", {"reference": function}) for function in functions),
        *(_read_call(path, request) for path in paths),
        *(("phoenix_routes", {"filter": route}) for route in _routes_named(request, names)),
        *(("find_module", {"name": module}) for module in dict.fromkeys(unknown)),
    ]


_URL_PATH = re.compile(r"(?<![\w.:/])/[\w:*.-]+(?:/[\w:*.-]+)*")


def _routes_named(request: str, names: frozenset[str]) -> list[str]:
    """The project's route paths the request writes, as declared ("/boards/:id") or as
    requested ("/boards/42"); a path written as declared names that route alone."""
    routes = [name for name in names if name.startswith("/")]
    named: list[str] = []
    for written in (path.rstrip(_TRAILING) for path in _URL_PATH.findall(request)):
        exact = [route for route in routes if route == written]
        named += exact or sorted(route for route in routes if _serves(route, written))
    return list(dict.fromkeys(named))


def _serves(route: str, path: str) -> bool:
    """Whether ``route`` ("/boards/:id", "/files/*path") serves ``path`` ("/boards/42")."""
    segments = route.split("/")
    if segments[-1].startswith("*"):
        pattern = "/".join(map(re.escape, segments[:-1])) + "/.+"
    else:
        pattern = "/".join("[^/]+" if s.startswith(":") else re.escape(s) for s in segments)
    return re.fullmatch(pattern, path) is not None


def _without_short_names(names: list[str]) -> list[str]:
    """The modules or functions, less a last part also named in full (``WebhookDelivery``
    beside ``Kanban.Workers.WebhookDelivery``, ``handle_info`` beside
    ``KanbanWeb.BoardLive.Show.handle_info``, as a trace or a compile error writes them)."""
    return [name for name in names if not any(full.endswith(f".{name}") for full in names)]


LINES_AROUND = 12  # a path:line (a stack trace's frame) is read this many lines either side


def _read_call(path: str, request: str) -> tuple[str, dict]:
    """The whole file, or the lines around the first ``path:line`` the request writes."""
    at = re.search(re.escape(path) + r":(\d+)", request)
    if at is None:
        return ("read_file", {"path": path})
    line = int(at.group(1))
    around = {"start_line": max(1, line - LINES_AROUND), "end_line": line + LINES_AROUND}
    return ("read_file", {"path": path, **around})


# A read's head as the file tools write it: "... from lib/kanban/boards.ex (lines 149-171 of 216)"
_LINES_SHOWN = re.compile(f"^{re.escape(UNTRUSTED_MARKER)}" + r"(\S+) \(lines (\d+)-(\d+) of", re.M)


@dataclass
class FunctionReads:
    """The lines of the functions read so far (``find_function``'s output), so that the lines
    around a ``path:line`` (a stack trace's frame) one of them shows are not read again. A
    frame names its function too, and ``code_lookups`` puts that function first."""

    _spans: list[tuple[str, int, int]] = field(default_factory=list)

    def note(self, tool: str, output: str) -> None:
        if tool == "find_function":
            spans = _LINES_SHOWN.findall(output)
            self._spans += [(path, int(first), int(last)) for path, first, last in spans]

    def show(self, call: tuple[str, dict]) -> bool:
        """Whether ``call`` reads a frame's lines that a function read already shows."""
        name, args = call
        if name != "read_file" or "end_line" not in args:
            return False
        line = args["end_line"] - LINES_AROUND  # the frame's line, as ``_read_call`` centred it
        return any(path == args["path"] and a <= line <= b for path, a, b in self._spans)


def _own_functions(
    module: str, functions: list[str], request: str, names: frozenset[str]
) -> list[str]:
    """``module``'s functions the request names, written like code (``BoardChannel.join``,
    ``handle_in``) or as plain words ("on join"): a plain word such as "show" or "index"
    counts only when it is one of this module's own functions."""
    written = [f for f in functions if f.startswith(f"{module}.")]
    words = [f"{module}.{word}" for word in _plain_words(request)]
    return list(dict.fromkeys([*written, *(word for word in words if word in names)]))


def _plain_words(text: str) -> list[str]:
    """The text's words as a function would be named ("Joins" -> "joins" and "join")."""
    words = [token.rstrip(_TRAILING).lower() for token in _TOKEN.findall(text)]
    return list(dict.fromkeys([*words, *(word[:-1] for word in words if word.endswith("s"))]))


def _is_module(name: str) -> bool:
    """``Kanban.Boards`` or ``BoardChannel``, not ``BoardChannel.join`` or ``boards.ex``."""
    return name.rsplit(".", 1)[-1][:1].isupper()


def _written_like_code(name: str) -> bool:
    return any(mark in name for mark in "._/") or bool(_CAMEL_CASE.fullmatch(name))

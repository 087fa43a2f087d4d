"""Which of the project tools an agent gets (its frontmatter ``tools`` field), and which of
them a request's words call for (its topics, the project's code it names).

Every tool here is read-only. Agent files written for Claude Code name its tools (``Read``,
``Grep``, ``Glob``, ``Bash``, ``Write``...): the reading ones map onto ours, and the ones that
write, run or reach the network are never granted, whatever a file asks for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

    from tools.toolset import Toolset

OVERVIEW_TOOL = "mix_project"
CONFIG_TOOL = "mix_config"
FILE_READERS = ("list_files", "read_file", "search_code", "find_module", "find_function")

# Claude Code tool names (lower-cased) -> ours. Its Read reads files, so it grants the file
# readers; the mix fact tools go to agents that omit ``tools`` or name them.
_CLAUDE_CODE_READERS: dict[str, tuple[str, ...]] = {
    "read": ("read_file", "find_module", "find_function"),
    "grep": ("search_code",),
    "glob": ("list_files",),
    "ls": ("list_files",),
}

# Words of a request -> the fact tool that answers them. A word matches at the start of a word
# of the request ("route" matches "routes" and "router"). A hyphen inside one also matches an
# underscore, a space or nothing ("live-view": "LiveView", "live_view", "live views"). A word
# ending in "*" is the start of words, no word itself ("schedul*": schedule, scheduling).
_TOPIC_WORDS: dict[str, str] = {
    "liveviews": "live-view mount handle_event handle_params heex component phx- stream template",
    "pubsub_and_channels": "pubsub broadcast subscri* channel presence topic real-time "
    "websocket socket push",
    "phoenix_routes": "route url endpoint pipeline scope controller plug live_session on_mount",
    "oban_jobs": "oban job worker queue cron background schedul*",
    "absinthe_schema": "graphql absinthe resolver mutation subscription",
    "ecto_schemas": "ecto schema migration changeset table database repo validat* association "
    "field",
    "otp_tree": "supervis* genserver otp process application registry cluster libcluster horde "
    "node children starts start_link restart",
    "mix_config": "config environment env setting runtime.exs secret",
    "mix_deps": "deps dependenc* version upgrade mix.lock hex package librar*",
    "elixir_modules": "module function defined callback behaviour",
}
_TOOL_OF = {word: tool for tool, words in _TOPIC_WORDS.items() for word in words.split()}


def _topic_pattern(word: str) -> re.Pattern[str]:
    parts = map(re.escape, word.rstrip("*").split("-"))
    separated = "[-_\\s]?".join(parts) if not word.endswith("-") else re.escape(word)
    return re.compile(r"(?<![\w-])" + separated, re.I)


_PATTERN_OF = {word: _topic_pattern(word) for word in _TOOL_OF}


def project_toolset(project_root: Path, on_progress=None) -> Toolset:
    """Every read-only tool over one project, and its stack. Opened per use on purpose: the
    index behind them is cached on disk and revalidated by mtime, so a changed file is seen at
    the next handoff and an unchanged project costs a few milliseconds."""
    from tools.toolset import open_toolset

    return open_toolset(project_root, on_progress)


def select_tools(wanted: Sequence[str] | None, available: Sequence[BaseTool]) -> list[BaseTool]:
    """``None`` grants every tool; otherwise each name is ours or a Claude Code reader."""
    if wanted is None:
        return list(available)
    by_name = {tool.name: tool for tool in available}
    chosen: dict[str, BaseTool] = {}
    for name in wanted:
        for ours in _CLAUDE_CODE_READERS.get(name.strip().lower(), (name.strip(),)):
            if ours == "*":
                return list(available)
            if ours in by_name:
                chosen[ours] = by_name[ours]
    return list(chosen.values())


def topic_tools(text: str) -> list[str]:
    """The fact tools whose topic the text mentions, in a stable order."""
    return list(topic_words(text))


def topic_words(text: str) -> dict[str, list[str]]:
    """Per fact tool whose topic the text mentions (in a stable order), its topic words the
    text uses, exactly or typed one edit off ("routs" for "route")."""
    used = [word for word, pattern in _PATTERN_OF.items() if pattern.search(text)]
    typos = _typos(text)
    used += [word for word in _TOOL_OF if any(_typed_for(typed, word) for typed in typos)]
    found: dict[str, list[str]] = {tool: [] for tool in _TOPIC_WORDS}
    for word in dict.fromkeys(used):
        found[_TOOL_OF[word]].append(word.rstrip("*"))
    return {tool: words for tool, words in found.items() if words}


def topic_calls(
    text: str, configured: Callable[[str], bool] = lambda word: False, room: int | None = None
) -> list[tuple[str, dict]]:
    """The fact tool calls the text's topics make, in a stable order. Asked about config, a
    word of another topic that names something the project configures (``configured``: "the
    endpoint", "the repo") filters mix_config in place of that topic's tool, which stays for
    its words that are not configured. When those filtered calls would not fit in ``room``
    calls with the rest, mix_config is called once, unfiltered, to show them all."""
    topics = topic_words(text)
    if CONFIG_TOOL not in topics:
        return [(tool, {}) for tool in topics]
    calls: list[tuple[str, dict]] = []
    filters: list[str] = []
    for tool, words in topics.items():
        named = [word for word in words if tool != CONFIG_TOOL and configured(word)]
        filters += named
        if len(named) < len(words):
            calls.append((tool, {}))
    filtered = [(CONFIG_TOOL, {"filter": word}) for word in dict.fromkeys(filters)]
    if filtered and (room is None or len(calls) - 1 + len(filtered) <= room):
        at = calls.index((CONFIG_TOOL, {}))
        calls[at : at + 1] = filtered
    return calls


# A typed word that matches no topic word may be one mistyped: one insertion, deletion,
# substitution or swap away from a topic word or its plural ("routs", "chanels", "behavior"),
# or for a word's start from the typed word's start ("shedule" for "schedul*"). Only words of
# five letters or more, compared with topic words of six or more, keeping their first and last
# letters: a shorter word, or another first or last letter, mostly makes another English word
# ("notes" for "nodes", "score" for "scope", "start" for "starts", "resolved" for "resolver").
_TYPO_CANDIDATE = re.compile(r"(?<![\w-])[A-Za-z]{5,}(?![\w-])")
_TYPO_MIN_TOPIC_LENGTH = 6


def _typos(text: str) -> list[str]:
    """The text's plain words that no topic word matches: maybe typed wrong."""
    words = (word.lower() for word in _TYPO_CANDIDATE.findall(text))
    return [w for w in words if not any(p.match(w) for p in _PATTERN_OF.values())]


def _typed_for(typed: str, topic_word: str) -> bool:
    """Whether ``typed`` is ``topic_word`` typed one edit off (as said above)."""
    if not topic_word.rstrip("*").isalpha():
        return False
    if topic_word.endswith("*"):
        start = topic_word[:-1]
        forms = [(typed[:size], start) for size in range(len(start) - 1, len(start) + 2)]
    else:
        forms = [(typed, topic_word), (typed, topic_word + "s")]
    return any(
        len(word) >= _TYPO_MIN_TOPIC_LENGTH
        and (mistyped[:1], mistyped[-1:]) == (word[0], word[-1])
        and _one_edit_apart(mistyped, word)
        for mistyped, word in forms
    )


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of neighbours (a
    Damerau-Levenshtein distance of 1) turns ``a`` into ``b``."""
    if len(a) > len(b):
        a, b = b, a
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) + 1 == len(b):
        return a[at:] == b[at + 1 :]
    if len(a) != len(b) or at == len(a):
        return False
    swapped = a[at : at + 2] == b[at : at + 2][::-1] and a[at + 2 :] == b[at + 2 :]
    return a[at + 1 :] == b[at + 1 :] or swapped


_TOKEN = re.compile(r"[\w.?!/-]+")
_TRAILING = ".,;:!?-"
_CAMEL_CASE = re.compile(r"(?:[A-Z][a-z0-9]+){2,}")
_MODULE_NAME = re.compile(r"\b([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+)\b")
_FUNCTION = re.compile(r"(?:[A-Z][\w.]*\.)?[a-z_][\w?!]*")  # move_card, BoardChannel.join


def project_mentions(text: str, names: frozenset[str]) -> list[str]:
    """The names of the project's code that the text uses (``BoardChannel``, ``move_card``,
    ``lib/kanban/boards.ex``), in order. Only names written like code count, so the plain word
    "show" never stands for a module ``Show``; but words that spell a module's compound name
    do ("the board channel" is ``BoardChannel``, "the rate limiter" ``RateLimiter``)."""
    found: list[str] = []
    tokens = _TOKEN.findall(text)
    for index, token in enumerate(tokens):
        spelled = (_spelled_out(tokens[index : index + n]) for n in (3, 2))
        for candidate in (token, token.rstrip(_TRAILING), *spelled):
            if candidate in names and _written_like_code(candidate):
                if candidate not in found:
                    found.append(candidate)
                break
    return found


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
    is read as that function (``BoardChannel.join``), not whole."""
    mentioned = project_mentions(request, names)
    written = [] if known_only else _MODULE_NAME.findall(request)
    modules = [*written, *(m for m in mentioned if _is_module(m))]
    functions = [m for m in mentioned if _FUNCTION.fullmatch(m)]
    paths = [m for m in mentioned if "/" in m]
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
    return [
        *lookups,
        *(("find_function", {"reference": function}) for function in functions),
        *(("read_file", {"path": path}) for path in paths),
    ]


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


def focus_tools(text: str, tools: Sequence[BaseTool]) -> list[BaseTool]:
    """The tools one handoff is offered: the file readers, the project overview and the fact
    tools its words point at; every tool when its words point at none.

    Every tool schema is resent on every model call of the loop, so offering a handful instead
    of all of them is most of the input a handoff costs; the readers keep the rest reachable.
    """
    topics = topic_tools(text)
    if not topics:
        return list(tools)
    wanted = {*FILE_READERS, OVERVIEW_TOOL, *topics}
    return [tool for tool in tools if tool.name in wanted]

"""Which fact tools a request's words call for: its topics ("routes", "Oban jobs", "the
config of the endpoint"), also when a topic word is typed one edit off ("routs").

The offline briefing runs these tools, the prefetch makes the call of a task's one topic, and a
handoff is offered their schemas (``graph.toolbox.focus_tools``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CONFIG_TOOL = "mix_config"

# Words of a request -> the fact tool that answers them. A word matches at the start of a word
# of the request ("route" matches "routes" and "router"). A hyphen inside one also matches an
# underscore, a space or nothing ("live-view": "LiveView", "live_view", "live views"). A word
# ending in "*" is the start of words, no word itself ("schedul*": schedule, scheduling). A word
# ending in "$" is itself or its plural only ("repo$": Repo, repos; not report, reporting).
_TOPIC_WORDS: dict[str, str] = {
    "liveviews": "live-view mount handle_event handle_params heex component phx- stream template",
    "pubsub_and_channels": "pubsub broadcast subscri* channel presence topic real-time "
    "websocket socket push",
    "phoenix_routes": "route url endpoint pipeline scope controller plug live_session on_mount",
    "oban_jobs": "oban job worker queue cron background schedul*",
    "absinthe_schema": "graphql absinthe resolver mutation subscription",
    "ecto_schemas": "ecto schema migration changeset table database repo$ validat* association "
    "field",
    "otp_tree": "supervis* genserver otp process application registry cluster libcluster horde "
    "node children starts start_link restart",
    "mix_config": "config environment env$ setting runtime.exs secret",
    "mix_deps": "deps dependenc* version upgrade mix.lock hex$ package librar*",
    "elixir_modules": "module function defined callback behaviour",
}


# Topic words that are ordinary English too ("how tall is mount everest", "an emacs lisp
# function"): they pick a handoff's tools well, where the request is about code already, but
# alone they are no sign that a request is about the project (``field_topics``).
_ORDINARY_WORDS = frozenset(
    "mount component stream template broadcast subscri channel presence topic real-time socket "  # noqa: SIM905
    "push route pipeline scope controller plug job worker queue background schedul mutation "
    "subscription migration table validat association field supervis process application "
    "registry cluster horde node children starts restart environment setting secret dependenc "
    "version upgrade hex package librar module function defined callback behaviour".split()
)


@dataclass(frozen=True)
class TopicWord:
    """A topic word as ``_TOPIC_WORDS`` writes it, its marker read once: "schedul*" is
    ``TopicWord("schedul", starts_words=True)``, "repo$" ``TopicWord("repo", whole=True)``."""

    spelling: str  # without its marker: "schedul", "repo", "live-view", "phx-"
    starts_words: bool = False  # "*": the start of words, no word itself
    whole: bool = False  # "$": itself or its plural only

    @classmethod
    def written(cls, word: str) -> TopicWord:
        return cls(word.rstrip("*$"), starts_words=word.endswith("*"), whole=word.endswith("$"))


_TOOL_OF = {
    TopicWord.written(word): tool for tool, words in _TOPIC_WORDS.items() for word in words.split()
}


def _topic_pattern(word: TopicWord) -> re.Pattern[str]:
    spelling = word.spelling
    if spelling.endswith("-"):  # "phx-": the prefix as written
        separated = re.escape(spelling)
    else:
        separated = "[-_\\s]?".join(map(re.escape, spelling.split("-")))
    whole = r"s?(?![\w-])" if word.whole else ""
    return re.compile(r"(?<![\w-])" + separated + whole, re.I)


_PATTERN_OF = {word: _topic_pattern(word) for word in _TOOL_OF}
# "live" of "live-view", "repo" of "repo$"
_LEADING_PART = {word: word.spelling.split("-")[0] for word in _TOOL_OF}


def topic_tools(text: str) -> list[str]:
    """The fact tools whose topic the text mentions, in a stable order."""
    return list(topic_words(text))


def field_topics(text: str) -> list[str]:
    """The fact tools whose topic the text names as developers talk: in a word of the field
    (LiveView, Oban, changeset, GenServer), or in two ordinary words of its topics ("which
    routes use the browser pipeline?"); one ordinary word alone ("how tall is mount everest")
    names none."""
    topics = topic_words(text)
    ordinary = {word for words in topics.values() for word in words if word in _ORDINARY_WORDS}
    if len(ordinary) >= 2:
        return list(topics)
    return [tool for tool, words in topics.items() if not ordinary.issuperset(words)]


def topic_words(text: str) -> dict[str, list[str]]:
    """Per fact tool whose topic the text mentions (in a stable order), its topic words the
    text uses, exactly or typed one edit off ("routs" for "route")."""
    lowered = text.lower()  # a plain substring test first: far cheaper than the pattern
    used = [
        word
        for word, pattern in _PATTERN_OF.items()
        if _LEADING_PART[word] in lowered and pattern.search(text)
    ]
    mistyped = {word for typed in _typos(text) for word in _typo_targets(typed)}
    used += [word for word in _TOOL_OF if word in mistyped]
    found: dict[str, list[str]] = {tool: [] for tool in _TOPIC_WORDS}
    for word in dict.fromkeys(used):
        found[_TOOL_OF[word]].append(word.spelling)
    return {tool: words for tool, words in found.items() if words}


def topic_calls(
    text: str, configured: Callable[[str], bool] = lambda word: False, room: int | None = None
) -> list[tuple[str, dict]]:
    """The fact tool calls the text's topics make, in a stable order. Asked about config, a
    word of another topic that names something the project configures (``configured``: "the
    endpoint", "the repo") filters mix_config in place of that topic's tool, which stays for
    its words that are not configured. When those filtered calls would not fit in ``room``
    calls with the rest, mix_config is called once, unfiltered, to show them all. The one
    environment the text names ("prod config") keeps mix_config to what applies there."""
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
    env = named_environment(text)
    if env:
        calls = [
            (tool, {**args, "env": env} if tool == CONFIG_TOOL else args) for tool, args in calls
        ]
    return calls


# A request's words for one environment ("prod config", "in production", "the dev env").
# "test" alone names the tests far more often, so only "test env", "test config", "in test";
# "a dev" is a person.
_ENVIRONMENT_WORDS = {
    "prod": re.compile(r"(?<![\w-])prod(?:uction)?(?![\w-])", re.I),
    "dev": re.compile(r"(?<![\w-])(?<!\ba )dev(?:elopment)?(?![\w-])", re.I),
    "test": re.compile(r"(?<![\w-])(?:test[-_\s]+(?:env|environment|config)|in test)\b", re.I),
}


def named_environment(text: str) -> str | None:
    """The one environment the text names ("prod" for "production settings"); none when it
    names several ("dev and prod") or none."""
    named = [env for env, pattern in _ENVIRONMENT_WORDS.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else None


# A typed word that matches no topic word may be one mistyped: one insertion, deletion,
# substitution or swap away from a topic word or its plural ("routs", "chanels", "behavior"),
# or for a word's start from the typed word's start ("shedule" for "schedul*"). Only words of
# five letters or more, compared with topic words of six or more, keeping their first and last
# letters: a shorter word, or another first or last letter, mostly makes another English word
# ("notes" for "nodes", "score" for "scope", "start" for "starts", "resolved" for "resolver").
_TYPO_CANDIDATE = re.compile(r"(?<![\w-])[A-Za-z]{5,}(?![\w-])")
_TYPO_MIN_TOPIC_LENGTH = 6


# Every topic word as one pattern, and the plain ones by first letter: a long paste has
# thousands of words, each compared with a handful of topic words, not with all of them.
_ANY_TOPIC_WORD = re.compile("|".join(p.pattern for p in _PATTERN_OF.values()), re.I)
_PLAIN_BY_FIRST_LETTER: dict[str, list[TopicWord]] = {
    letter: [
        word
        for word in _TOOL_OF
        if word.spelling[0] == letter and word.spelling.isalpha() and not word.whole
    ]
    for letter in {word.spelling[0] for word in _TOOL_OF}
}


def _typos(text: str) -> set[str]:
    """The text's plain words that no topic word matches: maybe typed wrong."""
    words = {word.lower() for word in _TYPO_CANDIDATE.findall(text)}
    return {word for word in words if not _ANY_TOPIC_WORD.match(word)}


def _typo_targets(typed: str) -> list[TopicWord]:
    """The topic words ``typed`` may be a mistyping of."""
    return [word for word in _PLAIN_BY_FIRST_LETTER.get(typed[0], []) if _typed_for(typed, word)]


def _typed_for(typed: str, topic_word: TopicWord) -> bool:
    """Whether ``typed`` is ``topic_word`` (a plain word) typed one edit off (as said above)."""
    spelling = topic_word.spelling
    if topic_word.starts_words:
        forms = [(typed[:size], spelling) for size in range(len(spelling) - 1, len(spelling) + 2)]
    else:
        forms = [(typed, spelling), (typed, spelling + "s")]
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

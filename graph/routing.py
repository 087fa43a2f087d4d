"""Routing without a model: explicit mentions, the catalogue text, and a lexical router.

The lexical router serves offline mode and the fallback when the model's routing fails. It is
BM25F (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond"): each
agent is a document with fields of different weight (name, description summary, example
requests, system prompt body); term frequencies are length-normalised per field, weighted,
summed, then saturated once. Queries are analysed like documents (Snowball stemming, stop words)
and expanded with the ecosystem vocabulary of :mod:`graph.vocabulary`. It abstains when the best
score is weak relative to what the query's most informative terms could score, or when the best
agent matches the request only weakly in what it is for (its name, description and examples), so
greetings, chit-chat and requests for a field no agent covers reach no agent.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import Stemmer

from graph.registry import AgentSpec
from graph.vocabulary import ecosystem_terms

# --- text analysis -----------------------------------------------------------------------------

_SPECIAL_FORMS = (
    (re.compile(r"(?<![\w+])c\+\+(?![\w+])", re.IGNORECASE), " cpp "),
    (re.compile(r"(?<!\w)([cf])#(?!\w)", re.IGNORECASE), r" \1sharp "),
    (re.compile(r"(?<![\w.])\.net\b", re.IGNORECASE), " dotnet "),
    (re.compile(r"\b(\w+)\.js\b", re.IGNORECASE), r" \1js \1 "),
    (re.compile(r"(?<![\w/])a/b(?![\w/])", re.IGNORECASE), " ab "),
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
# parts of a compound: "SLOs" and "APIs" stay whole, "GenServer" -> Gen, Server, "p99" -> p, 99
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")
_WORD_PART = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

_STOP_WORDS_TEXT = """
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could did do does doing done during each either
else etc ever every few for from further get gets getting got had has have having he her here
hers him his how however i if in into is isn it its itself just let lets like make makes many me
might more most much must my myself need needs no nor not now of off on once one only or other
our ours out over own per please same she should so some still such than that the their theirs
them then there these they this those though through to too under until up upon us use used
using very via want wants was way we well were what when where whether which while who whom why
will with within without would yet you your yours help thanks thank hi hello hey ok okay yes
sure something anything thing things really im dont doesnt cant wont isnt whats next right
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


_ENGLISH = Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball's English stemmer, for words: short ones and ones with digits are kept whole
    ("k8s", "p99", "api" are names, not inflected words)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    stemmed = _ENGLISH.stemWord(word)
    return stemmed if len(stemmed) > 2 else word  # "going" is not "go" (Go, the language)


def analyse(text: str, *, hyphen_parts: bool = True) -> list[str]:
    """Text -> stemmed index terms.

    Compound words also yield their parts: ``LiveView`` -> liveview, live, view and
    ``multi-stage`` -> multistage, multi, stage, so either spelling meets the other. Agent texts
    keep hyphenated words whole (``hyphen_parts=False``): "fine-tuning" and "real-time" say what
    an agent does, "fine" and "real" are any request's words.
    """
    return [stem(token) for token in words(text, hyphen_parts=hyphen_parts)]


def words(text: str, *, hyphen_parts: bool = True) -> list[str]:
    """Text -> lower-cased words and compound parts without stop words, before stemming."""
    return [token for group in word_groups(text, hyphen_parts=hyphen_parts) for token in group]


def word_groups(text: str, *, hyphen_parts: bool = True) -> list[list[str]]:
    """Like :func:`words`, one list per written word: the word, then its compound parts."""
    for pattern, replacement in _SPECIAL_FORMS:
        text = pattern.sub(replacement, text)
    groups: list[list[str]] = []
    for word in _WORD.findall(text):
        parts = _WORD_PART.findall(word)
        if len(parts) > 1:
            whole = word.replace("-", "")
            parts = [whole, *parts] if hyphen_parts or "-" not in word else [whole]
        group = []
        for token in parts:
            if _PLURAL_ACRONYM.fullmatch(token):
                token = token[:-1]  # APIs -> API: acronyms are exempt from the stemmer's rules
            token = token.lower()
            if len(token) > 1 and not token.isdigit() and token not in STOP_WORDS:
                group.append(token)
        if group:
            groups.append(group)
    return groups


# A whitespace-separated chunk shaped like code: a dotted or slashed path, a namespace, a
# snake_case or camelCase identifier, a hex address, letters run into digits.
_CODE_CHUNK = re.compile(r"\w[./\\:]+\w|_|[a-z][A-Z]|[A-Za-z][0-9]|[0-9][A-Za-z]")


def code_terms(text: str) -> set[str]:
    """The index terms of a request that come from code-shaped chunks (``CartProvider``,
    ``src/cache.rs:42``, ``0x5e3a2c0``): names the user's code made up, which no agent's text
    can hold."""
    return {term for chunk in text.split() if _CODE_CHUNK.search(chunk) for term in analyse(chunk)}


def name_form(word: str) -> str:
    """How vocabulary terms are matched: names, not English words, so only a plural "s" goes.

    The stemmer would join "terminated" to "terminal" and "infer" to "inference"; a technology
    name must not be met by an English word that shares its stem.
    """
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "os")):
        return word[:-1]
    return word


# --- mentions ----------------------------------------------------------------------------------

_MENTION_CUES = (
    r"@{name}",
    r"\b(?:use|ask|have|call|invoke|try|with|delegate to|hand (?:this|it) (?:over )?to|"
    r"route (?:this |it )?to|send (?:this |it )?to)\s+(?:the\s+)?{name}",
    r"{name}\s+(?:sub-?)?agent\b",
)


def find_mention(request: str, names: Iterable[str]) -> str | None:
    """The agent a request names explicitly (``@name``, "use the name agent", "ask name ...").

    Only known names count, case-insensitively; with several, the earliest in the text wins.
    """
    found: list[tuple[int, int, str]] = []
    for name in names:
        bounded = r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"
        for cue in _MENTION_CUES:
            match = re.search(cue.format(name=bounded), request, re.IGNORECASE)
            if match:
                found.append((match.start(), -len(name), name))
    return min(found)[2] if found else None


# Module attributes Elixir itself defines: pasted code starts with them ("@impl true").
_ELIXIR_ATTRIBUTES_TEXT = """
moduledoc doc typedoc spec type typep opaque callback macrocallback optional_callbacks behaviour
impl derive enforce_keys compile deprecated dialyzer external_resource file on_load on_definition
before_compile after_compile after_verify vsn since
"""
ELIXIR_ATTRIBUTES = frozenset(_ELIXIR_ATTRIBUTES_TEXT.split())
_LEADING_HANDLE = re.compile(r"\s*@([A-Za-z][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*)[:,]?\s*")
# Elixir names cannot hold "-", so "@frontend-react" is a handle, never a module attribute.
_KEBAB_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)+")
SUGGESTION_CUTOFF = 0.6  # difflib ratio for "did you mean"
MISSPELLING_CUTOFF = 0.8  # ... and for a one-word handle to count as a misspelt agent name


@dataclass(frozen=True)
class UnknownMention:
    """A request that starts with an ``@handle`` naming no loaded agent."""

    handle: str
    suggestion: str | None  # the closest loaded agent name
    rest: str  # the request without the handle

    @property
    def note(self) -> str:
        guess = f" (did you mean @{self.suggestion}?)" if self.suggestion else ""
        return f"no agent is named @{self.handle}{guess}"


def find_unknown_mention(request: str, names: Iterable[str]) -> UnknownMention | None:
    """The ``@handle`` a request starts with when it names no loaded agent, else None.

    A handle counts when it is kebab-case (as agent names are, and Elixir names cannot be) or
    a close misspelling of a loaded agent's name; Elixir's own module attributes (``@impl``,
    ``@moduledoc``, ``@spec``) and other one-word ``@attribute``s are code, not mentions.
    """
    match = _LEADING_HANDLE.match(request)
    if not match:
        return None
    handle = match.group(1)
    by_lower = {name.lower(): name for name in names}
    if handle.lower() in by_lower:
        return None
    close = difflib.get_close_matches(handle.lower(), by_lower, n=1, cutoff=SUGGESTION_CUTOFF)
    suggestion = by_lower[close[0]] if close else None
    misspelt = bool(
        close
        and handle.lower() not in ELIXIR_ATTRIBUTES
        and difflib.SequenceMatcher(None, handle.lower(), close[0]).ratio() >= MISSPELLING_CUTOFF
    )
    if not (_KEBAB_HANDLE.fullmatch(handle) or misspelt):
        return None
    return UnknownMention(handle, suggestion, request[match.end() :].strip())


# --- catalogue ---------------------------------------------------------------------------------

_BOILERPLATE_LEAD = re.compile(
    r"^(?:use\s+(?:this\s+agent\s+)?(?:proactively\s+)?(?:when|for|to)\s+(?:you\s+need\s+(?:to\s+)?)?)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def build_catalogue(agents: Iterable[AgentSpec], *, max_examples: int = 1) -> str:
    """Compact text for the supervisor's prompt: one line per agent, plus example requests."""
    lines: list[str] = []
    for agent in sorted(agents, key=lambda spec: spec.name):
        lines.append(f"- {agent.name}: {_short_summary(agent.summary)}")
        for example in agent.examples[:max_examples]:
            if example.user:
                lines.append(f'  e.g. "{_trim(example.user, 120)}"')
    return "\n".join(lines)


def _short_summary(summary: str, limit: int = 220) -> str:
    text = _BOILERPLATE_LEAD.sub("", summary).strip()
    text = text[:1].upper() + text[1:]
    sentences = _SENTENCE_END.split(text)
    short = sentences[0]
    if len(sentences) > 1 and len(short) + len(sentences[1]) < limit * 0.8:
        short = f"{short} {sentences[1]}"
    return _trim(short, limit)


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- the lexical router ------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteScore:
    agent: str
    score: float


@dataclass(frozen=True)
class LexicalDecision:
    agent: str | None  # None: abstain, no agent fits
    ranked: tuple[RouteScore, ...]  # top candidates, best first
    reason: str  # one line


@dataclass(frozen=True)
class _Field:
    weight: float  # how much one occurrence here counts against one in the body
    b: float  # length normalisation strength


# Field weights follow BM25F practice: short, curated fields say what an agent is for; the long
# body adds evidence at a lower weight and with full length normalisation.
FIELDS: dict[str, _Field] = {
    "name": _Field(weight=4.0, b=0.0),
    "summary": _Field(weight=3.0, b=0.5),
    "examples": _Field(weight=2.0, b=0.5),
    "body": _Field(weight=1.0, b=0.75),
}
# BM25's usual k1 = 1.2 applies to raw counts; here one occurrence counts up to the sum of the
# field weights, so k1 scales with it (else every term saturates at once and fields stop mattering).
K1 = 1.2 * sum(field.weight for field in FIELDS.values())
EXPANSION_WEIGHT = 0.5  # a vocabulary-implied term counts half of a term the user wrote
# ... and half that for an agent whose name, description or examples hold the written word: the
# vocabulary bridges to agents that do not know the word ("spring" -> java); for those that do, the
# implied parent technology should not lift the general agent (java-architect) over the specialist.
KNOWN_WORD_EXPANSION = EXPANSION_WEIGHT / 2
# Abstain when the best agent scores below this floor, in units of the IDF of a term that only
# one agent has (so it holds for 3 agents as for 90): about one such term in an agent's name and
# description both. A request sharing only common words with the agents scores well under it, and
# so does one ordinary word a description holds ("delete" -> GDPR, "IO" -> IoT) ...
MIN_SCORE = 0.4
# ... and when the best agent explains too small a share of what the request's most informative
# terms could score, so an off-topic request cannot pass the floor on many weak matches. Only the
# strongest terms count: a pasted stack trace or log is long, but says what it is about in a few
# words (a long request is not less specific). Both cuts were set with FIELD_IDF_FIELDS, which
# raises what a curated match scores, so that abstention does not fall at 90, 25 or 8 agents ...
MIN_COVERAGE = 0.0625
INFORMATIVE_TERMS = 10
# ... and when what the agent is for (its name, description and examples) matches the request too
# weakly, in the floor's units. The body (a system prompt) mentions much an agent is not for, and
# with few agents its every word looks specific (IDF cannot tell "job" from "Oban" among 8
# documents); an agent whose curated fields do not match at all is never chosen.
MIN_CURATED_SCORE = 0.15
CURATED_FIELDS = ("name", "summary", "examples")
# A match in a curated field weighs by how rare the word is in that field as well as in the agents'
# whole texts: "review" is in 87 of 90 bodies but in 3 names, so `code-reviewer`'s name had counted
# for next to nothing. The two IDFs are averaged on the log scale (their geometric mean): a field's
# own document frequency over a few dozen short texts is a noisy measure of how telling a word is.
FIELD_IDF_FIELDS = CURATED_FIELDS
# An API name written in camelCase (``useEffect``, ``EventEmitter``) that only one agent's body
# holds and no curated field does is as telling as a word of that agent's description: its body
# match counts at the description's weight, in the score and as what the agent is for. Only with
# many agents: the term must be rare as a share of them, so with 25 or 8 agents no term qualifies
# (among few documents every body word looks rare).
RARE_IDENTIFIER_SHARE = 0.015
RARE_IDENTIFIER_WEIGHT = FIELDS["summary"].weight / FIELDS["body"].weight
_CAMEL_CASE = re.compile(r"[a-z][A-Z]")


class LexicalRouter:
    """BM25F over agent fields with query expansion and abstention. Index built at construction."""

    def __init__(
        self,
        agents: Iterable[AgentSpec],
        *,
        min_score: float = MIN_SCORE,
        min_coverage: float = MIN_COVERAGE,
        min_curated: float = MIN_CURATED_SCORE,
        expand: bool = True,
    ) -> None:
        specs = list(agents)
        fields = [_agent_fields(spec) for spec in specs]
        self._names = [spec.name for spec in specs]
        self._postings = _bm25f_postings(fields)
        self._curated = _bm25f_postings(
            [{f: doc[f] if f in CURATED_FIELDS else [] for f in FIELDS} for doc in fields]
        )
        self._expansions = _analysed_vocabulary() if expand else {}
        self.min_score = min_score
        self.min_coverage = min_coverage
        self.min_curated = min_curated

    @property
    def agent_names(self) -> list[str]:
        return list(self._names)

    def rank(self, query: str, k: int = 5) -> list[RouteScore]:
        """The ``k`` best-scoring agents for ``query`` (only agents with a positive score)."""
        weights, _, triggers = self._query_weights(query)
        scores, _ = self._score(weights, triggers, self._rare_identifiers(query))
        return _top(scores, self._names, k)

    def decide(self, query: str) -> LexicalDecision:
        """Pick one agent, or abstain when nothing in the catalogue fits the request."""
        weights, carried, triggers = self._query_weights(query)
        identifiers = self._rare_identifiers(query)
        scores, matched = self._score(weights, triggers, identifiers)
        ranked = tuple(_top(scores, self._names, 5))
        if not ranked:
            return LexicalDecision(None, ranked, "abstain: no agent shares a term with the request")
        best = ranked[0]
        index = self._names.index(best.agent)
        coverage = best.score / self._ideal_score(weights, carried | code_terms(query))
        curated = sum(
            (KNOWN_WORD_EXPANSION if index in self._knowing(triggers.get(t, ())) else w)
            * self._curated.get(t, {}).get(index, 0.0)
            for t, w in weights.items()
        ) + sum(matched[index].get(t, 0.0) for t in identifiers)
        terms = self._explain(query, matched[index])
        unit = _idf(1, len(self._names))
        if curated < self.min_curated * unit:
            where = (
                "only in its body" if curated == 0 else f"weakly in what it is for ({curated:.2f})"
            )
            return LexicalDecision(
                None,
                ranked,
                f"abstain: '{best.agent}' matches the request {where} (terms: {terms})",
            )
        if best.score < self.min_score * unit or coverage < self.min_coverage:
            return LexicalDecision(
                None,
                ranked,
                f"abstain: best BM25F {best.score:.2f} for '{best.agent}' "
                f"(floor {self.min_score * unit:.2f}), {coverage:.0%} of the request's "
                f"weight (terms: {terms})",
            )
        runner_up = f" vs {ranked[1].score:.2f} for '{ranked[1].agent}'" if len(ranked) > 1 else ""
        return LexicalDecision(
            best.agent,
            ranked,
            f"BM25F {best.score:.2f} for '{best.agent}'{runner_up} (terms: {terms})",
        )

    # -- internals --

    def _query_weights(self, query: str) -> tuple[dict[str, float], set[str], dict[str, set[str]]]:
        """Term -> weight (written terms 1, implied ones less), and the written ecosystem terms
        whose evidence the implied technology words carry, and for each technology word implied
        by single written words only, those words.

        A phrase of the vocabulary is read as one name: its words that are not the technology's
        own words count like implied ones ("sql injection" is a security term, not SQL; "github
        actions" is CI, not Git), while "react native" keeps "react".
        """
        groups = word_groups(query)
        tokens = [token for group in groups for token in group]
        terms = [stem(token) for token in tokens]
        forms = [name_form(token) for token in tokens]
        written = [1.0] * len(terms)
        implied_weights: dict[str, float] = {}
        carried: set[str] = set()
        triggers: dict[str, set[str]] = {}
        for phrase, implied, span in self._phrases(groups, forms):
            carried.update(terms[at] for at in span)
            for at in span if len(phrase) > 1 else ():
                if terms[at] not in implied:
                    written[at] = min(written[at], EXPANSION_WEIGHT)
            weight = 1.0 if len(phrase) > 1 else EXPANSION_WEIGHT
            for term in implied:
                implied_weights[term] = max(implied_weights.get(term, 0.0), weight)
                if weight == EXPANSION_WEIGHT:
                    triggers.setdefault(term, set()).update(terms[at] for at in span)
        weights: dict[str, float] = {}
        for term, weight in [*implied_weights.items(), *zip(terms, written, strict=True)]:
            weights[term] = max(weights.get(term, 0.0), weight)
        triggers = {
            term: words - {term}
            for term, words in triggers.items()
            if weights[term] == EXPANSION_WEIGHT and words - {term}
        }
        return weights, carried, triggers

    def _phrases(
        self, groups: list[list[str]], forms: list[str]
    ) -> Iterable[tuple[tuple[str, ...], tuple[str, ...], list[int]]]:
        """Vocabulary phrases found in the request, with the token positions they cover: over
        all tokens ("LiveView" -> live, view) and over written words, a compound's parts
        skipped ("GitHub Actions": github, [git, hub,] actions)."""
        starts = [0]
        for group in groups:
            starts.append(starts[-1] + len(group))
        sequences = [[[at] for at in range(len(forms))]]
        if any(len(group) > 1 for group in groups):
            sequences.append([list(range(a, b)) for a, b in itertools.pairwise(starts)])
        for sequence in sequences:
            for index, covered in enumerate(sequence):
                for phrase, implied in self._expansions.get(forms[covered[0]], ()):
                    window = sequence[index : index + len(phrase)]
                    if tuple(forms[spot[0]] for spot in window) == phrase:
                        yield phrase, implied, [at for spot in window for at in spot]

    def _rare_identifiers(self, query: str) -> set[str]:
        """The request's camelCase names that only agents' bodies hold, and few of them
        (RARE_IDENTIFIER_SHARE of the agents): a specific API name, not a common word."""
        limit = RARE_IDENTIFIER_SHARE * len(self._names)
        written = {
            stem(word.lower())
            for word in _WORD.findall(query)
            if word.isalpha() and _CAMEL_CASE.search(word)
        }
        return {
            term
            for term in written
            if 0 < len(self._postings.get(term, ())) <= limit and term not in self._curated
        }

    def _score(
        self,
        weights: dict[str, float],
        triggers: dict[str, set[str]],
        identifiers: set[str] = frozenset(),
    ) -> tuple[list[float], list[dict[str, float]]]:
        scores = [0.0] * len(self._names)
        matched: list[dict[str, float]] = [{} for _ in self._names]
        for term, weight in weights.items():
            known = self._knowing(triggers.get(term, ()))
            for index, contribution in self._postings.get(term, {}).items():
                weighted = (KNOWN_WORD_EXPANSION if index in known else weight) * contribution
                if term in identifiers:
                    weighted *= RARE_IDENTIFIER_WEIGHT
                scores[index] += weighted
                matched[index][term] = weighted
        return scores, matched

    def _knowing(self, words: Iterable[str]) -> set[int]:
        """The agents whose curated fields hold any of these written words: an implied term
        counts less for them (KNOWN_WORD_EXPANSION)."""
        return {index for word in words for index in self._curated.get(word, ())}

    @staticmethod
    def _explain(query: str, matched: dict[str, float]) -> str:
        words = _surface_words(query)
        return ", ".join(words.get(term, term) for term in _strongest_terms(matched))

    def _ideal_score(self, weights: dict[str, float], excused: set[str]) -> float:
        """The IDF mass of the request's most informative terms at their weights: the coverage
        scale.

        A term no agent has counts as one only one agent has, so that with few agents the
        unmatchable words of a request do not drown the words that match. An ecosystem term
        no agent has ("CrashLoopBackOff") counts through the technology words it implies
        instead, and a name from the user's code no agent has ("CartProvider") not at all.
        """
        count = len(self._names)
        masses = sorted(
            (
                weight * _idf(max(1, len(self._postings.get(term, ()))), count)
                for term, weight in weights.items()
                if term in self._postings or term not in excused
            ),
            reverse=True,
        )
        return sum(masses[:INFORMATIVE_TERMS]) or 1.0


def _agent_fields(agent: AgentSpec) -> dict[str, list[str]]:
    examples = " ".join(f"{example.context} {example.user}" for example in agent.examples)
    return {
        "name": analyse(agent.name.replace("-", " ").replace("_", " ")),
        "summary": analyse(agent.summary, hyphen_parts=False),
        "examples": analyse(examples, hyphen_parts=False),
        "body": analyse(agent.body, hyphen_parts=False),
    }


def _bm25f_postings(documents: Sequence[dict[str, list[str]]]) -> dict[str, dict[int, float]]:
    """term -> {document index: idf * saturated field-weighted tf}, computed once.

    A match in a field of FIELD_IDF_FIELDS weighs by that field's own IDF too (see there).
    """
    count = len(documents) or 1
    average_length = {
        field: (sum(len(doc[field]) for doc in documents) / count) or 1.0 for field in FIELDS
    }
    field_tf: dict[str, dict[int, dict[str, float]]] = {}  # term -> document -> field -> tf
    for index, doc in enumerate(documents):
        for field, spec in FIELDS.items():
            norm = 1.0 - spec.b + spec.b * len(doc[field]) / average_length[field]
            for term, tf in Counter(doc[field]).items():
                field_tf.setdefault(term, {}).setdefault(index, {})[field] = spec.weight * tf / norm
    field_df = {
        field: Counter(term for doc in documents for term in set(doc[field]))
        for field in FIELD_IDF_FIELDS
    }
    postings: dict[str, dict[int, float]] = {}
    for term, per_doc in field_tf.items():
        idf = _idf(len(per_doc), count)
        idf_in = {
            field: math.sqrt(idf * _idf(field_df[field][term], count))
            for field in FIELD_IDF_FIELDS
            if field_df[field][term]
        }
        postings[term] = {}
        for index, tf_in in per_doc.items():
            tf = sum(tf_in.values())
            mean_idf = sum(part * idf_in.get(field, idf) for field, part in tf_in.items()) / tf
            postings[term][index] = mean_idf * tf / (K1 + tf)
    return postings


def _idf(document_frequency: int, document_count: int) -> float:
    return math.log(1.0 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


_Expansions = dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]


def _analysed_vocabulary() -> _Expansions:
    """First word of each vocabulary phrase -> [(phrase, implied terms)]; phrases are matched in
    name form (a hyphenated term whole: "on-call" is not "call"), the implied technology words
    are index terms."""
    vocabulary: _Expansions = {}
    for key, technologies in ecosystem_terms().items():
        phrase = tuple(name_form(word) for word in words(key, hyphen_parts=False))
        implied = {term for technology in technologies for term in analyse(technology)}
        if phrase:
            entry = (phrase, tuple(sorted(implied)))
            vocabulary.setdefault(phrase[0], []).append(entry)
    return vocabulary


def _top(scores: list[float], names: list[str], k: int) -> list[RouteScore]:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], names[i]))
    return [RouteScore(names[i], round(scores[i], 4)) for i in order[:k] if scores[i] > 0]


def _surface_words(query: str) -> dict[str, str]:
    """Index term -> the word the user wrote, to explain a decision in the user's words."""
    words: dict[str, str] = {}
    for word in _WORD.findall(query):
        for token in [word, *_WORD_PART.findall(word)]:
            words.setdefault(stem(token.lower().replace("-", "")), token)
    return words


def _strongest_terms(matched: dict[str, float], limit: int = 4) -> list[str]:
    return [term for term, _ in sorted(matched.items(), key=lambda item: -item[1])[:limit]]

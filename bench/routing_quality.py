"""Routing quality: the lexical router against plain BM25 baselines on labelled requests.

    python -m bench.routing_quality [--agents DIR] [--queries FILE] [--project DIR]

Prints, per router: top-1 accepted on clear and ambiguous requests, correct abstention on
requests no agent fits, top-3 recall, mean latency per request, index build time, and the misses
(expected -> got). Then three overfitting checks: the abstention floor chosen on one half of the
requests and scored on the other, the router without its ecosystem vocabulary, and the router
over unseen agent sets (random subsets of the agents; a request whose accepted agents are all
left out must then be answered by the supervisor, like a ``none`` row). Last, the size of the
supervisor's catalogue in tokens, and whether it keeps the routing signal (the baseline "BM25
catalogue entry" reads each agent's catalogue line only). ``run(...)`` returns all of it as a dict.

With ``--project``, the supervisor's offline route in that project (``Supervisor.route``: the
lexical router and what the project's code and stack tell it) is measured too, over all the
agents, over a fixed team of agents a Phoenix team would keep, and over the random sets.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.registry import AgentSpec, load_agents
from graph.routing import LexicalRouter, RouteScore, build_catalogue

ROUTING_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "routing"
DEFAULT_AGENTS = ROUTING_CORPUS / "agents"
DEFAULT_QUERIES = ROUTING_CORPUS / "queries-dev.jsonl"
FLOOR_GRID = tuple(round(0.05 * step, 2) for step in range(1, 21))  # 0.05 .. 1.0
LATENCY_ROUNDS = 5
SUBSET_SIZES = (25, 8)  # agents per unseen set
SUBSET_SEEDS = (1, 2, 3, 4, 5)  # one random draw of agents per seed
# The agent files a Phoenix team would likely keep: the team column of the in-project figures,
# fixed before the project splits were written (tests/fixtures/routing_project/README.md).
PHOENIX_TEAM = (
    "backend-elixir-phoenix",
    "security-auditor",
    "postgres-pro",
    "devops-engineer",
    "kubernetes-specialist",
    "test-automator",
    "frontend-developer",
    "code-reviewer",
    "docker-expert",
    "graphql-architect",
)
SHIPPED_AGENT = "backend-elixir-phoenix"  # the one agent mixcrew ships: most users' whole set


@dataclass(frozen=True)
class Query:
    text: str
    expected: tuple[str, ...]  # empty: no agent fits
    kind: str  # clear | ambiguous | none


@dataclass(frozen=True)
class Router:
    """What the benchmark needs from a router: a choice (None = abstain) and a ranking."""

    choose: Callable[[str], str | None]
    rank: Callable[[str, int], list[RouteScore]]
    build_ms: float


# --- baselines: plain Okapi BM25 over one text per agent ---------------------------------------

_PLAIN_WORD = re.compile(r"[a-z0-9]+")


class PlainBM25:
    """Okapi BM25 (k1=1.2, b=0.75) over lower-cased words: no stemming, stop words or fields."""

    def __init__(self, documents: dict[str, str], k1: float = 1.2, b: float = 0.75) -> None:
        self._names = list(documents)
        counts = [Counter(_PLAIN_WORD.findall(text.lower())) for text in documents.values()]
        lengths = [sum(count.values()) for count in counts]
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        frequency = Counter(term for count in counts for term in count)
        total = len(counts)
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, (count, length) in enumerate(zip(counts, lengths, strict=True)):
            norm = k1 * (1 - b + b * length / average)
            for term, tf in count.items():
                idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
                weight = idf * tf * (k1 + 1) / (tf + norm)
                self._postings.setdefault(term, []).append((index, weight))

    def rank(self, query: str, k: int = 5) -> list[RouteScore]:
        scores = [0.0] * len(self._names)
        for term in _PLAIN_WORD.findall(query.lower()):
            for index, weight in self._postings.get(term, ()):
                scores[index] += weight
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        return [RouteScore(self._names[i], scores[i]) for i in order[:k] if scores[i] > 0]

    def choose(self, query: str) -> str | None:
        ranked = self.rank(query, 1)
        return ranked[0].agent if ranked else None


def _full_text(agent: AgentSpec) -> str:
    return f"{agent.name.replace('-', ' ')} {agent.description} {agent.body}"


def _frontmatter_text(agent: AgentSpec) -> str:
    return f"{agent.name.replace('-', ' ')} {agent.description}"


def _catalogue_text(agent: AgentSpec) -> str:
    """The agent's entry in the routing model's catalogue: is the signal still in it?"""
    return build_catalogue([agent]).replace("-", " ")


# --- measuring -----------------------------------------------------------------------------------


def load_queries(path: Path) -> list[Query]:
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            queries.append(Query(row["query"], tuple(row["expected"]), row["kind"]))
        except (ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"{path}:{number}: not a query row ({error})") from None
    return queries


def _timed(build: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    built = build()
    return built, (time.perf_counter() - start) * 1000


def _lexical(agents: Sequence[AgentSpec], **options: Any) -> tuple[LexicalRouter, Router]:
    router, build_ms = _timed(lambda: LexicalRouter(agents, **options))
    return router, Router(lambda q: router.decide(q).agent, router.rank, build_ms)


def in_project_router(agents: Sequence[AgentSpec], project: Path) -> Router:
    """The supervisor's offline route with ``project`` as the user's project."""
    from graph.context import RunContext
    from graph.supervisor import Supervisor

    supervisor, build_ms = _timed(lambda: Supervisor({a.name: a for a in agents}, _NoModels()))
    ctx = RunContext(project=str(project), offline=True)

    def choose(query: str) -> str | None:
        _route, plan, _parallel, _own = supervisor.route(query, [], ctx)
        return plan[0]["agent"] if plan else None

    return Router(choose, supervisor.router.rank, build_ms)


class _NoModels:
    """The model factory of an offline run: no model is ever reached."""

    def available(self, ctx: Any) -> bool:
        return False

    def __call__(self, model_id: str, ctx: Any) -> Any:
        raise RuntimeError("the routing benchmark runs offline")


def _plain(agents: Sequence[AgentSpec], text_of: Callable[[AgentSpec], str]) -> Router:
    router, build_ms = _timed(lambda: PlainBM25({agent.name: text_of(agent) for agent in agents}))
    return Router(router.choose, router.rank, build_ms)


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _outcomes(
    router: Router, queries: Sequence[Query]
) -> tuple[dict[str, list[bool]], list[dict[str, Any]]]:
    """Per kind, whether each request got an accepted agent (for ``none``: no agent); misses."""
    by_kind: dict[str, list[bool]] = {"clear": [], "ambiguous": [], "none": []}
    misses: list[dict[str, Any]] = []
    for query in queries:
        got = router.choose(query.text)
        correct = got in query.expected if query.expected else got is None
        by_kind.setdefault(query.kind, []).append(correct)
        if not correct:
            misses.append({"query": query.text, "expected": list(query.expected), "got": got})
    return by_kind, misses


def _shares(by_kind: dict[str, list[bool]]) -> dict[str, float | None]:
    routed = by_kind["clear"] + by_kind["ambiguous"]
    return {
        "top1_clear": _share(sum(by_kind["clear"]), len(by_kind["clear"])),
        "top1_ambiguous": _share(sum(by_kind["ambiguous"]), len(by_kind["ambiguous"])),
        "top1_accepted": _share(sum(routed), len(routed)),
        "abstention_none": _share(sum(by_kind["none"]), len(by_kind["none"])),
        "overall": _share(sum(map(sum, by_kind.values())), sum(map(len, by_kind.values()))),
    }


def evaluate(router: Router, queries: Sequence[Query]) -> dict[str, Any]:
    """Quality and speed figures of one router over the labelled requests."""
    by_kind, misses = _outcomes(router, queries)
    top3 = [
        any(score.agent in query.expected for score in router.rank(query.text, 3))
        for query in queries
        if query.expected
    ]
    start = time.perf_counter()
    for _ in range(LATENCY_ROUNDS):
        for query in queries:
            router.choose(query.text)
    elapsed_ms = (time.perf_counter() - start) * 1000
    return {
        **_shares(by_kind),
        "top3_recall": _share(sum(top3), len(top3)),
        "ms_per_request": elapsed_ms / (LATENCY_ROUNDS * len(queries)) if queries else 0.0,
        "build_ms": router.build_ms,
        "misses": misses,
    }


def restrict(queries: Sequence[Query], names: set[str]) -> list[Query]:
    """The requests as they read against an agent set: accepted agents outside it drop out, and
    a request left with none becomes a ``none`` row (the supervisor answers it itself)."""
    restricted = []
    for query in queries:
        expected = tuple(agent for agent in query.expected if agent in names)
        kind = query.kind if expected or not query.expected else "none"
        restricted.append(Query(query.text, expected, kind))
    return restricted


def unseen_agent_sets(
    agents: Sequence[AgentSpec],
    queries: Sequence[Query],
    sizes: Sequence[int] = SUBSET_SIZES,
    seeds: Sequence[int] = SUBSET_SEEDS,
    build: Callable[[Sequence[AgentSpec]], Router] = lambda subset: _lexical(subset)[1],
) -> dict[str, dict[str, Any]]:
    """A router (the lexical one unless ``build`` says) built on random agent subsets, figures
    pooled over the draws."""
    ordered = sorted(agents, key=lambda agent: agent.name)
    draws = {
        f"{size} agents x {len(seeds)} draws": [
            random.Random(seed).sample(ordered, size) for seed in seeds
        ]
        for size in sizes
        if size < len(ordered)
    }
    return {name: agent_sets(subsets, queries, build) for name, subsets in draws.items()}


def agent_sets(
    subsets: Sequence[Sequence[AgentSpec]],
    queries: Sequence[Query],
    build: Callable[[Sequence[AgentSpec]], Router],
) -> dict[str, Any]:
    """Figures of a router built on each agent subset in turn, pooled over the subsets."""
    pooled: dict[str, list[bool]] = {"clear": [], "ambiguous": [], "none": []}
    misses: list[dict[str, Any]] = []
    for subset in subsets:
        by_kind, set_misses = _outcomes(build(subset), restrict(queries, {a.name for a in subset}))
        for kind, outcomes in by_kind.items():
            pooled.setdefault(kind, []).extend(outcomes)
        misses += set_misses
    return {
        **_shares(pooled),
        "rows": {kind: len(outcomes) for kind, outcomes in pooled.items()},
        "misses": misses,
    }


def _accuracy(router: LexicalRouter, queries: Sequence[Query]) -> float:
    correct = 0
    for query in queries:
        got = router.decide(query.text).agent
        correct += got in query.expected if query.expected else got is None
    return correct / len(queries) if queries else 0.0


def cross_validate_floor(router: LexicalRouter, queries: Sequence[Query]) -> list[dict[str, Any]]:
    """Choose the abstention floor on one half, score it on the other, both ways round."""
    halves = (list(queries[0::2]), list(queries[1::2]))
    shipped = router.min_score
    folds = []
    for train, held_out in (halves, halves[::-1]):
        accuracy_by_floor = {}
        for floor in FLOOR_GRID:
            router.min_score = floor
            accuracy_by_floor[floor] = _accuracy(router, train)
        best = max(accuracy_by_floor.values())
        chosen = statistics.median_low([f for f, a in accuracy_by_floor.items() if a == best])
        router.min_score = chosen
        held_out_chosen = _accuracy(router, held_out)
        router.min_score = shipped
        folds.append(
            {
                "chosen_floor": chosen,
                "train_accuracy": best,
                "held_out_accuracy": held_out_chosen,
                "held_out_accuracy_shipped_floor": _accuracy(router, held_out),
            }
        )
    return folds


def catalogue_tokens(agents: Sequence[AgentSpec]) -> dict[str, Any]:
    """Size of the supervisor's catalogue; tokens by o200k_base from a packaged BPE file."""
    catalogue = build_catalogue(agents)
    try:
        with warnings.catch_warnings():  # bpe_openai uses a deprecated importlib.resources call
            warnings.simplefilter("ignore", DeprecationWarning)
            import bpe_openai  # packaged vocabulary: never a download

            tokens: int | str = len(bpe_openai.get_encoding("o200k_base").encode(catalogue))
    except Exception as error:  # noqa: BLE001 - any failure means "not measurable here"
        tokens = f"n/a ({type(error).__name__})"
    return {"agents": len(agents), "chars": len(catalogue), "tokens_o200k": tokens}


def run(
    agents_dir: Path = DEFAULT_AGENTS,
    queries_file: Path = DEFAULT_QUERIES,
    project: Path | None = None,
) -> dict[str, Any]:
    """Every figure the report prints, as data (for a combined benchmark runner)."""
    report = load_agents([agents_dir])
    agents = list(report.agents.values())
    queries = load_queries(queries_file)
    lexical, lexical_router = _lexical(agents)
    _, without_vocabulary = _lexical(agents, expand=False)
    routers = {
        "lexical (BM25F)": lexical_router,
        "BM25 name+desc+body": _plain(agents, _full_text),
        "BM25 frontmatter": _plain(agents, _frontmatter_text),
        "BM25 catalogue entry": _plain(agents, _catalogue_text),
        "BM25F, no vocabulary": without_vocabulary,
    }
    results = {
        "agents": len(agents),
        "agent_problems": report.problems,
        "queries": dict(Counter(query.kind for query in queries)),
        "routers": {name: evaluate(router, queries) for name, router in routers.items()},
        "floor_cross_validation": cross_validate_floor(lexical, queries),
        "unseen_agent_sets": unseen_agent_sets(agents, queries),
        "shipped_floor": lexical.min_score,
        "catalogue": catalogue_tokens(agents),
    }
    if project is not None:
        results["in_project"] = in_project(agents, queries, project)
    return results


def in_project(
    agents: Sequence[AgentSpec], queries: Sequence[Query], project: Path
) -> dict[str, dict[str, Any]]:
    """The supervisor's offline route in ``project``, beside the lexical router alone: over all
    the agents, the Phoenix team, the shipped agent alone and the random agent sets."""
    team = [agent for agent in agents if agent.name in PHOENIX_TEAM]
    shipped = [agent for agent in agents if agent.name == SHIPPED_AGENT]
    columns = {}
    for name, build in (
        ("lexical", lambda subset: _lexical(subset)[1]),
        ("in project", lambda subset: in_project_router(subset, project)),
    ):
        columns[f"{name}, all agents"] = agent_sets([agents], queries, build)
        columns[f"{name}, team of {len(team)}"] = agent_sets([team], queries, build)
        columns[f"{name}, shipped agent alone"] = agent_sets([shipped], queries, build)
        for size, figures in unseen_agent_sets(agents, queries, build=build).items():
            columns[f"{name}, {size.split(' x ')[0]}"] = figures
    return columns


# --- printing ------------------------------------------------------------------------------------

_ROWS = (
    ("top-1 accepted, clear", "top1_clear", "{:.0%}"),
    ("top-1 accepted, ambiguous", "top1_ambiguous", "{:.0%}"),
    ("top-1 accepted, clear+ambiguous", "top1_accepted", "{:.0%}"),
    ("correct abstention, none", "abstention_none", "{:.0%}"),
    ("top-3 recall", "top3_recall", "{:.0%}"),
    ("all requests correct", "overall", "{:.0%}"),
    ("mean latency / request (ms)", "ms_per_request", "{:.3f}"),
    ("index build (ms)", "build_ms", "{:.1f}"),
)


def _print(results: dict[str, Any], *, misses: bool = True) -> None:
    routers = results["routers"]
    print(f"{results['agents']} agents; queries: {results['queries']}")
    width = 33
    print("".ljust(width) + "".join(name.rjust(23) for name in routers))
    for label, key, fmt in _ROWS:
        cells = [("-" if r[key] is None else fmt.format(r[key])) for r in routers.values()]
        print(label.ljust(width) + "".join(cell.rjust(23) for cell in cells))
    for name, figures in routers.items() if misses else ():
        print()
        _print_misses(name, figures["misses"])
    _print_unseen(routers["lexical (BM25F)"], results["unseen_agent_sets"], misses=misses)
    print(f"\nabstention floor (shipped {results['shipped_floor']}), chosen on one half:")
    for fold in results["floor_cross_validation"]:
        print(
            f"  chosen {fold['chosen_floor']}: train {fold['train_accuracy']:.0%}, held-out "
            f"{fold['held_out_accuracy']:.0%} (shipped floor on held-out: "
            f"{fold['held_out_accuracy_shipped_floor']:.0%})"
        )
    catalogue = results["catalogue"]
    print(
        f"\ncatalogue for {catalogue['agents']} agents: {catalogue['chars']} chars, "
        f"{catalogue['tokens_o200k']} tokens (o200k_base)"
    )
    if "in_project" in results:
        _print_in_project(results["in_project"], misses=misses)


def _print_unseen(
    full: dict[str, Any], subsets: dict[str, dict[str, Any]], *, misses: bool
) -> None:
    columns = {"all agents": full, **subsets}
    print("\nunseen agent sets, lexical (BM25F); rows per kind pooled over the draws")
    width = 33
    print("".ljust(width) + "".join(name.rjust(23) for name in columns))
    for label, key, fmt in _ROWS[:6]:
        if key == "top3_recall":
            continue
        cells = [("-" if c[key] is None else fmt.format(c[key])) for c in columns.values()]
        print(label.ljust(width) + "".join(cell.rjust(23) for cell in cells))
    rows = ["-", *(" / ".join(str(n) for n in c["rows"].values()) for c in subsets.values())]
    print("rows clear / ambiguous / none".ljust(width) + "".join(r.rjust(23) for r in rows))
    for name, figures in subsets.items() if misses else ():
        _print_misses(name, figures["misses"])


def _print_in_project(columns: dict[str, dict[str, Any]], *, misses: bool) -> None:
    print("\nin the project: the lexical router alone vs the supervisor's offline route")
    print(f"{'':<30}{'top-1':>8}{'abst.':>8}{'all':>8}{'rows right':>14}")
    for name, figures in columns.items():
        total = sum(figures["rows"].values())
        cells = [
            "-" if figures[key] is None else f"{figures[key]:.0%}"
            for key in ("top1_accepted", "abstention_none", "overall")
        ]
        right = f"{total - len(figures['misses'])}/{total}"
        print(f"{name:<30}" + "".join(cell.rjust(8) for cell in cells) + right.rjust(14))
    for name, figures in columns.items() if misses else ():
        _print_misses(name, figures["misses"])


def _print_misses(router: str, misses: list[dict[str, Any]]) -> None:
    """A confusion summary: expected -> got, most frequent first."""
    confusion = Counter(
        f"{'/'.join(m['expected']) or '(none)'} -> {m['got'] or '(abstain)'}" for m in misses
    )
    print(f"misses, {router}: {len(misses)}")
    for pair, count in confusion.most_common():
        print(f"  {count} x {pair}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=Path, default=DEFAULT_AGENTS, help="agents directory")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="queries JSONL")
    parser.add_argument(
        "--project", type=Path, help="also route in this mix project, as the supervisor does"
    )
    parser.add_argument(
        "--summary", action="store_true", help="figures only, no misses (for sealed splits)"
    )
    args = parser.parse_args(argv)
    paths = [(args.agents, "agents directory"), (args.queries, "queries file")]
    for path, kind in [*paths, (args.project, "project directory")]:
        if path is not None and not path.exists():
            parser.exit(2, f"{path}: {kind} not found\n")
    _print(run(args.agents, args.queries, args.project), misses=not args.summary)


if __name__ == "__main__":
    main()

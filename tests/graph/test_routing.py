"""Mentions, the catalogue and the lexical router, on the real agent files and labelled requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import routing_quality
from graph import routing
from graph.context import EXAMPLE_PROJECT
from graph.registry import load_agents, parse_agent_file
from graph.routing import (
    LexicalRouter,
    analyse,
    build_catalogue,
    code_terms,
    find_mention,
    name_form,
    stem,
    words,
)
from graph.vocabulary import ecosystem_terms

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "agents" / "backend-elixir-phoenix.md"
ROUTING = Path(__file__).resolve().parents[1] / "fixtures" / "routing"
HELD_OUT = ROUTING.with_name("routing_heldout")
PROJECT_SPLITS = ROUTING.with_name("routing_project")
needs_corpus = pytest.mark.skipif(not ROUTING.is_dir(), reason="shared routing corpus not present")

NAMES = ["backend-elixir-phoenix", "backend-developer", "golang-pro"]


@pytest.fixture(scope="module")
def corpus():
    return list(load_agents([ROUTING / "agents"]).agents.values())


@pytest.fixture(scope="module")
def router(corpus):
    return LexicalRouter(corpus)


# --- mentions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("@backend-elixir-phoenix why does my LiveView crash?", "backend-elixir-phoenix"),
        ("Use the backend-elixir-phoenix agent to review the router", "backend-elixir-phoenix"),
        ("ask backend-elixir-phoenix (agent) about Oban", "backend-elixir-phoenix"),
        ("ask Golang-Pro about channels", "golang-pro"),
        ("can the backend-developer agent look at this?", "backend-developer"),
        ("first @golang-pro, then @backend-developer", "golang-pro"),
        ("@backend-elixir-phoenix-v2 is not an agent", None),
        ("@frontend-wizard please help", None),
        ("my backend-developer colleague wrote this", None),
        ("how do goroutines work?", None),
    ],
)
def test_find_mention(request_text, expected):
    assert find_mention(request_text, NAMES) == expected


# --- catalogue ---------------------------------------------------------------------------------


def test_catalogue_has_one_entry_per_agent_with_a_trimmed_example():
    seed = parse_agent_file(SEED)
    catalogue = build_catalogue([seed])
    lines = catalogue.splitlines()

    assert lines[0].startswith("- backend-elixir-phoenix: Working with Elixir/Phoenix")
    assert len(lines) == 2 and lines[1].startswith('  e.g. "I need to implement a live dashboard')
    assert "<example>" not in catalogue and "Use this agent" not in catalogue
    assert build_catalogue([seed], max_examples=0).count("\n") == 0


@needs_corpus
def test_catalogue_for_the_corpus_is_compact(corpus):
    catalogue = build_catalogue(corpus)
    entries = [line for line in catalogue.splitlines() if line.startswith("- ")]

    assert [entry.split(":")[0][2:] for entry in entries] == sorted(a.name for a in corpus)
    assert max(len(entry) for entry in entries) <= 260
    assert len(catalogue) < 20_000  # measured in tokens by bench.routing_quality


# --- analysis ----------------------------------------------------------------------------------


def test_stemmer_joins_word_forms_and_spares_short_stems():
    assert stem("queries") == stem("query")
    assert stem("caching") == stem("cached") == stem("cache")
    assert stem("cancelled") == stem("cancel")
    assert stem("goroutines") == stem("goroutine")
    assert stem("spring") == "spring" and stem("status") == "status"
    assert stem("going") != "go"  # a stem this short would be a name: Go


def test_no_word_of_a_vocabulary_term_is_lost_to_the_stop_list():
    """A term whose words drop out ("site down" -> site) would fire on any request's word."""
    for term in ecosystem_terms():
        lost = [
            word for word in term.split() if len(word) > 2 and word.isalpha() and not words(word)
        ]
        assert words(term, hyphen_parts=False) and not lost, term


@needs_corpus
def test_vocabulary_is_matched_on_names_not_stems(router):
    """Snowball gives "terminated" the stem of "terminal" (a CLI word), "infer" that of
    "inference" (ML); vocabulary terms must not fire on them."""
    weights, _, _ = router._query_weights("pod terminated, types with infer")

    assert {"kubernet", "typescript"} <= set(weights)
    assert not {"cli", "machin"} & set(weights)


def test_a_name_ending_in_os_is_not_a_plural():
    """RTOS is not the plural of RTO (a recovery time objective); pods is the plural of pod."""
    assert name_form("rtos") == "rtos" and name_form("freertos") == "freertos"
    assert name_form("pods") == "pod" and name_form("goroutines") == "goroutine"


def test_a_slash_b_is_one_word():
    """The usual spelling of A/B testing; single letters are dropped, so it had been "test"."""
    assert "ab" in analyse("is our A/B test significant?")
    assert "ab" not in analyse("see src/a/b/handler.py")


def test_analyse_splits_compounds_and_drops_stop_words():
    terms = analyse("How do I use a GenServer with multi-stage C++ builds and SLOs?")

    assert {"genserv", "gen", "server", "multistag", "cpp", "slo"} <= set(terms)
    assert not {"how", "do", "use", "a", "with", "and"} & set(terms)
    assert analyse("fine-tuning LiveView", hyphen_parts=False) == [
        "finetun",
        "liveview",
        "live",
        "view",
    ]


# --- the router --------------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("goroutine leak in my worker pool", "golang-pro"),
        ("Eloquent relationship returns duplicate rows", "laravel-specialist"),
        ("GenServer mailbox keeps growing", "backend-elixir-phoenix"),
        ("borrow checker rejects my iterator", "rust-engineer"),
        ("Helm upgrade leaves pods pending", "kubernetes-specialist"),
        ("std::unique_ptr cannot be copied into the vector", "cpp-pro"),
        ("pen test our web app for XSS", "penetration-tester"),
        # an ecosystem's API names, error codes and CLI commands, without the ecosystem's name
        ("NG0200: circular dependency in DI detected for AuthService", "angular-architect"),
        ("viewModelScope job keeps running after the screen closes", "kotlin-specialist"),
        ("select_related still fires one query per row in my admin list", "django-developer"),
        ("pg_dump of a 300 GB database takes all night", "postgres-pro"),
        ("useCallback does not stop the child from re-rendering", "react-specialist"),
        # tenth round: Laravel and Django admin API names, LLM application words
        (
            "ModelNotFoundException when route model binding can't find the post",
            "laravel-specialist",
        ),
        ("the debug toolbar shows 300 similar queries on one page", "django-developer"),
        ("what chunk size and vector store for retrieval over our internal wiki", "llm-architect"),
    ],
)
def test_ecosystem_terms_reach_their_technology(router, request_text, expected):
    assert router.decide(request_text).agent == expected


@needs_corpus
@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        (
            "how long can we keep a user's data after they leave, do we need pseudonymization",
            "gdpr-ccpa-compliance",
        ),
        ("we need a bug bash and regression suite before release sign-off", "qa-expert"),
        ("this function is messy code with deeply nested conditionals", "refactoring-specialist"),
        ("what goes into a risk register before the auditors arrive", "compliance-auditor"),
        ("is a good ab test report more than the conversion rate?", "data-analyst"),
        ("is the lift in our a/b test on the pricing page significant", "data-scientist"),
    ],
)
def test_plain_words_for_a_practice_reach_its_role(router, request_text, expected):
    """How people describe a role's work without a tool's name (none of these routed before)."""
    assert router.decide(request_text).agent == expected


@needs_corpus
def test_vocabulary_adds_evidence_the_agents_do_not_spell_out(corpus):
    query = "Eloquent hasManyThrough returns duplicate rows"
    expanded = LexicalRouter(corpus).rank(query, 90)
    plain = LexicalRouter(corpus, expand=False).rank(query, 90)

    def score_of(ranked, name):
        return next((s.score for s in ranked if s.agent == name), 0.0)

    assert score_of(expanded, "laravel-specialist") > score_of(plain, "laravel-specialist")
    assert score_of(expanded, "php-pro") > score_of(plain, "php-pro")


def test_code_terms_are_the_words_of_identifiers_paths_and_addresses():
    terms = code_terms("Warning in CartProvider at src/cart/summary.tsx:31 (0x5e3a2c0), not here")

    assert {"cartprovid", "cart", "summari", "tsx"} <= terms
    assert not {"warn", "here"} & terms


@needs_corpus
def test_a_vocabulary_phrase_is_read_as_one_name(router):
    """ "sql injection" is a security term, not SQL; "GitHub Actions" is CI, not Git (the phrase
    is found past a compound's parts); "react native" keeps "react", a technology word."""
    weights, _, _ = router._query_weights("sql injection in our search form")
    assert weights["sql"] < 1 and weights["secur"] == 1
    assert router.decide("sql injection in our search form, how do we fix it").agent in {
        "security-engineer",
        "security-auditor",
        "penetration-tester",
    }

    weights, _, _ = router._query_weights("GitHub Actions runs the test suite")
    assert weights["git"] < 1 and weights["ci"] == 1
    assert router.decide("set up GitHub Actions to run the tests on every push").agent in {
        "deployment-engineer",
        "devops-engineer",
    }

    weights, _, _ = router._query_weights("react native list scrolls slowly")
    assert weights["react"] == 1


@needs_corpus
def test_an_implied_parent_counts_less_for_agents_that_know_the_written_word(
    router, corpus, monkeypatch
):
    """ "spring" implies Java for agents that do not know Spring; for those that do, the implied
    "java" must not lift the agent named after Java over the Spring specialist."""
    query = "the spring context will not start: circular reference between two beans"
    weights, _, triggers = router._query_weights(query)
    assert weights["java"] == routing.EXPANSION_WEIGHT and triggers["java"] == {"spring"}

    def lead(ranked):
        scores = {s.agent: s.score for s in ranked}
        return scores["spring-boot-engineer"] - scores["java-architect"]

    discounted = lead(router.rank(query, 90))
    monkeypatch.setattr(routing, "KNOWN_WORD_EXPANSION", routing.EXPANSION_WEIGHT)
    assert discounted > lead(LexicalRouter(corpus).rank(query, 90))


@needs_corpus
def test_a_long_pasted_trace_is_not_declined_for_its_length(router):
    """Its identifiers and addresses are the user's names, not words an agent could have; its
    few telling terms decide coverage, not its length."""
    trace = (
        "Unhandled panic in the worker pool, the service restarts every few minutes:\n"
        "goroutine 42 [running]:\n"
        "github.com/acme/ingest/internal/queue.(*Consumer).handle(0xc000128000, {0xc0001a2000})\n"
        "\t/build/internal/queue/consumer.go:118 +0x2bd\n"
        "github.com/acme/ingest/internal/queue.(*Consumer).Run.func1()\n"
        "\t/build/internal/queue/consumer.go:74 +0x65\n"
        "created by github.com/acme/ingest/internal/queue.(*Consumer).Run in goroutine 1\n"
        "panic: runtime error: invalid memory address or nil pointer dereference"
    )
    assert router.decide(trace).agent == "golang-pro"


@needs_corpus
def test_a_word_few_agents_are_for_counts_though_every_body_holds_it(router):
    """ "review" is in 87 of the 90 agents' bodies but in three names: `code-reviewer`'s name
    match weighs by its rarity among names too, not by the bodies alone."""
    best, runner_up = router.rank("a code review, please", 2)

    assert best.agent == "code-reviewer"
    assert best.score > 1.5 * runner_up.score


@needs_corpus
@pytest.mark.parametrize(
    "request_text", ["vim: delete every other line", "how do I delete all rows in a table"]
)
def test_one_ordinary_word_a_description_holds_is_no_reason_to_route(router, request_text):
    """'delete' is in `gdpr-ccpa-compliance`'s description, and nothing else of these requests
    is in any agent's: that is under the floor."""
    assert router.decide(request_text).agent is None


@needs_corpus
def test_a_source_file_extension_names_its_language(router):
    panic = "thread 'main' panicked at src/main.rs:14:9:\nindex out of bounds: the len is 3"
    assert router.decide(panic).agent == "rust-engineer"


@needs_corpus
def test_a_device_is_not_a_programming_ecosystem(router):
    assert router.decide("which iphone should I buy for my dad").agent is None


@needs_corpus
def test_decide_abstains_on_chit_chat_and_explains_itself(router):
    for text in ("thanks, that worked!", "good morning! how are you today?", "hi", ""):
        decision = router.decide(text)
        assert decision.agent is None, text
        assert decision.reason.startswith("abstain:") and "\n" not in decision.reason

    decision = router.decide("goroutine leak: workers never stop when the ctx is cancelled")
    assert decision.agent == "golang-pro"
    assert decision.ranked[0].agent == "golang-pro"
    assert decision.ranked == tuple(sorted(decision.ranked, key=lambda s: -s.score))
    assert "'golang-pro'" in decision.reason and "goroutine" in decision.reason


@needs_corpus
def test_with_few_agents_a_match_in_the_body_alone_is_no_reason_to_route(corpus):
    """Among four agents every body word has a high IDF; what the agent is for must match."""
    wanted = {"refactoring-specialist", "laravel-specialist", "vue-expert", "golang-pro"}
    router = LexicalRouter([agent for agent in corpus if agent.name in wanted])

    for text in ("my sourdough starter smells like acetone", "a cover letter for a barista job"):
        decision = router.decide(text)
        assert decision.agent is None and "only in its body" in decision.reason, text
    assert router.decide("code smells in my Go service").agent == "refactoring-specialist"
    assert router.decide("Eloquent relationship returns duplicates").agent == "laravel-specialist"


@needs_corpus
@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("Promise.allSettled hides which request failed", "node-specialist"),
        ("useTransition keeps showing the old tab while the new one loads", "react-specialist"),
    ],
)
def test_a_camel_case_api_name_only_one_body_holds_counts_as_what_the_agent_is_for(
    router, request_text, expected
):
    """Written for this test, not taken from a split: without the rule both are declined."""
    decision = router.decide(request_text)
    assert decision.agent == expected, decision.reason


@needs_corpus
def test_with_few_agents_no_body_word_is_a_rare_api_name(corpus):
    wanted = {"node-specialist", "javascript-pro", "react-specialist", "golang-pro"}
    router = LexicalRouter([agent for agent in corpus if agent.name in wanted])

    assert router._rare_identifiers("Promise.allSettled hides which request failed") == set()


def test_with_only_the_seed_the_router_still_routes_and_abstains():
    router = LexicalRouter([parse_agent_file(SEED)])

    assert router.decide("GenServer mailbox grows under load").agent == "backend-elixir-phoenix"
    assert router.decide("Which LiveViews subscribe to PubSub?").agent == "backend-elixir-phoenix"
    assert router.decide("thanks, that worked!").agent is None
    assert router.decide("how do I center a div with flexbox").agent is None


def _figures(router, path: Path) -> tuple[float, float]:
    """Top-1 accepted on clear+ambiguous rows and correct abstention on none rows."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    routed = [row for row in rows if row["expected"]]
    none = [row for row in rows if not row["expected"]]
    top1 = sum(router.decide(row["query"]).agent in row["expected"] for row in routed)
    abstained = sum(router.decide(row["query"]).agent is None for row in none)
    return top1 / len(routed), abstained / len(none)


@needs_corpus
def test_accuracy_floor_on_the_dev_split(router):
    """Measured 100% / 100% on this split (bench.routing_quality); the floor leaves a margin."""
    top1, abstention = _figures(router, ROUTING / "queries-dev.jsonl")

    assert top1 >= 0.9
    assert abstention >= 0.8


# Each sealed split's level as last measured, in rows: top-1 accepted of the clear+ambiguous rows,
# correct abstentions of the none rows. Written blind and never tuned on; where each was written,
# when it was measured and how each level moved: tests/fixtures/routing_heldout/README.md. A split
# below the targets (>= 90% top-1, >= 80% abstention) is held at its level, not at the target.
@needs_corpus
@pytest.mark.parametrize(
    ("split", "top1_rows", "routed_rows", "abstained_rows", "none_rows"),
    [
        ("final", 49, 56, 21, 24),
        ("final2", 50, 61, 24, 24),
        ("final3", 50, 56, 23, 24),
        ("final4", 58, 67, 25, 26),
        ("final5", 57, 60, 24, 24),
        ("final6", 45, 56, 21, 24),
        ("final7", 45, 56, 23, 24),
        ("final8", 42, 56, 23, 24),
        ("final9", 49, 56, 23, 24),
        ("final10", 37, 56, 24, 24),
        ("final11", 39, 56, 22, 24),
        ("final12", 49, 63, 27, 27),
        ("final13", 53, 63, 25, 27),
    ],
)
def test_sealed_split_holds_its_measured_level(
    router, split, top1_rows, routed_rows, abstained_rows, none_rows
):
    top1, abstention = _figures(router, HELD_OUT / f"{split}.jsonl")

    assert abstention >= abstained_rows / none_rows
    assert top1 >= top1_rows / routed_rows


# The supervisor's offline route in examples/kanban on the project splits (written blind, the
# finals sealed; tests/fixtures/routing_project/README.md): rows right over all 90 agents, the
# fixed Phoenix team and the shipped agent alone, as last measured.
@needs_corpus
@pytest.mark.parametrize(
    ("split", "all_rows", "team_rows", "shipped_rows"),
    [
        ("project-tune", 46, 42, 34),
        ("project-final", 42, 40, 36),
        ("project-final2", 45, 38, 38),
        ("project-final3", 39, 42, 44),
        ("project-final4", 48, 41, 41),
    ],
)
def test_project_split_holds_its_measured_level_in_the_project(
    corpus, split, all_rows, team_rows, shipped_rows
):
    queries = routing_quality.load_queries(PROJECT_SPLITS / f"{split}.jsonl")

    def rows_right(names):
        agents = [agent for agent in corpus if names is None or agent.name in names]
        figures = routing_quality.agent_sets(
            [agents],
            queries,
            lambda subset: routing_quality.in_project_router(subset, EXAMPLE_PROJECT),
        )
        return sum(figures["rows"].values()) - len(figures["misses"])

    assert rows_right(None) >= all_rows
    assert rows_right(routing_quality.PHOENIX_TEAM) >= team_rows
    assert rows_right({routing_quality.SHIPPED_AGENT}) >= shipped_rows


@needs_corpus
def test_bench_smoke(tmp_path, corpus):
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "\n".join(
            json.dumps(row)
            for row in (
                {
                    "query": "goroutine leak in a worker pool",
                    "expected": ["golang-pro"],
                    "kind": "clear",
                },
                {"query": "tell me a joke", "expected": [], "kind": "none"},
            )
        )
    )
    results = routing_quality.run(ROUTING / "agents", queries)

    lexical = results["routers"]["lexical (BM25F)"]
    assert lexical["top1_clear"] == 1.0 and lexical["abstention_none"] == 1.0
    assert lexical["misses"] == [] and lexical["ms_per_request"] > 0
    assert set(results["routers"]) >= {"BM25 name+desc+body", "BM25 frontmatter"}
    assert results["catalogue"]["agents"] == len(corpus) == 90
    assert isinstance(results["catalogue"]["tokens_o200k"], int)
    unseen = results["unseen_agent_sets"]
    assert list(unseen) == ["25 agents x 5 draws", "8 agents x 5 draws"]
    assert sum(unseen["8 agents x 5 draws"]["rows"].values()) == 2 * 5


@needs_corpus
def test_bench_routes_in_a_project_like_the_supervisor(tmp_path, corpus):
    queries = tmp_path / "queries.jsonl"
    rows = (
        {"query": "why does BoardLive.Show crash?", "expected": [NAMES[0]], "kind": "clear"},
        {"query": "how tall is mount everest in feet?", "expected": [], "kind": "none"},
    )
    queries.write_text("\n".join(json.dumps(row) for row in rows))

    columns = routing_quality.run(ROUTING / "agents", queries, EXAMPLE_PROJECT)["in_project"]

    assert list(columns) == [
        f"{router}, {agents}"
        for router in ("lexical", "in project")
        for agents in ("all agents", "team of 10", "shipped agent alone", "25 agents", "8 agents")
    ]
    in_project = columns["in project, all agents"]
    assert in_project["rows"] == {"clear": 1, "ambiguous": 0, "none": 1}
    assert in_project["misses"] == []  # the module's alias names the project; Everest does not


def test_restricting_requests_to_an_agent_set():
    Query = routing_quality.Query
    queries = [
        Query("q1", ("golang-pro",), "clear"),
        Query("q2", ("debugger", "error-detective"), "ambiguous"),
        Query("q3", (), "none"),
    ]

    assert routing_quality.restrict(queries, {"debugger"}) == [
        Query("q1", (), "none"),
        Query("q2", ("debugger",), "ambiguous"),
        Query("q3", (), "none"),
    ]

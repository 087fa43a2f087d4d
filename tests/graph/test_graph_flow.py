"""The real graph, driven by a scripted model: routing, handoffs, results, caps, offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graph.builder import build_graph
from graph.context import EXAMPLE_PROJECT, REPO_ROOT, RunContext
from graph.registry import load_agents
from graph.supervisor import _about_the_project
from graph.toolbox import project_toolset
from tests.scripted_model import ScriptedModels, call, route, say

ELIXIR = "backend-elixir-phoenix"
K8S = "kubernetes-specialist"
SHARED_AGENTS = REPO_ROOT / "tests" / "fixtures" / "routing" / "agents"


@pytest.fixture(scope="module")
def agents(tmp_path_factory) -> dict:
    """The product's Elixir agent plus two real agent files from the routing corpus."""
    directory = tmp_path_factory.mktemp("agents")
    shutil.copy(REPO_ROOT / "agents" / f"{ELIXIR}.md", directory)
    for name in (K8S, "sql-pro"):
        shutil.copy(SHARED_AGENTS / f"{name}.md", directory)
    return load_agents([directory]).agents


def run(agents, models, question, *, ctx=None, thread="t1", saver=None):
    graph = build_graph(agents, models=models, checkpointer=saver or InMemorySaver())
    config = {"configurable": {"thread_id": thread}}
    graph.invoke(
        {"messages": [HumanMessage(question)]},
        config,
        context=ctx or RunContext(project=str(EXAMPLE_PROJECT)),
    )
    return graph.get_state(config).values


def routing_calls(models: ScriptedModels) -> list[dict]:
    return [c for c in models.calls if "RoutingDecision" in c["tools"]]


def test_handoff_tool_calls_and_verbatim_finish(agents):
    models = ScriptedModels.of(
        route((ELIXIR, "List the LiveView routes and what each LiveView subscribes to.")),
        call("phoenix_routes"),
        call("liveviews"),
        say("BoardLive.Show subscribes to board:<id> (lib/kanban_web/live/board_live/show.ex)."),
    )
    state = run(agents, models, "Which LiveViews subscribe to PubSub?")

    final = state["messages"][-1]
    assert final.name == ELIXIR
    assert final.content.startswith("BoardLive.Show subscribes")
    assert state["route"] == {"router": "model", "agents": [ELIXIR], "reason": "scripted"}
    assert len(models.calls) == 4  # route, two tool-calling steps, answer: no finishing call
    # The specialist sees its system prompt and its brief, not the supervisor's history.
    specialist_first = models.calls[1]["messages"]
    assert isinstance(specialist_first[0], SystemMessage)
    assert "You are an expert Elixir/Phoenix backend engineer" in specialist_first[0].content
    assert "Project root:" in specialist_first[0].content
    assert [type(m) for m in specialist_first] == [SystemMessage, HumanMessage]
    assert "List the LiveView routes" in specialist_first[1].content
    # It is offered the file readers plus the fact tools its task names, not all sixteen.
    assert sorted(models.calls[1]["tools"]) == [
        "find_function", "find_module", "list_files", "liveviews", "mix_project",
        "phoenix_routes", "pubsub_and_channels", "read_file", "search_code",
    ]  # fmt: skip
    # The tools ran for real on the example project.
    tool_results = [m for m in models.calls[3]["messages"] if isinstance(m, ToolMessage)]
    assert len(tool_results) == 2
    assert "/boards" in tool_results[0].content
    result = state["results"][0]
    assert [c["name"] for c in result["tool_calls"]] == ["phoenix_routes", "liveviews"]
    assert result["model_calls"] == 3


def test_two_part_request_runs_two_agents_and_leads_their_answers(agents):
    def answer_by_agent(messages):
        system = messages[0].content
        return say("k8s: add a readinessProbe." if "Kubernetes" in system else "elixir: use Oban.")

    models = ScriptedModels.of(
        route((ELIXIR, "How to run the nightly job once?"), (K8S, "Probe config for the pods?")),
        answer_by_agent,
        answer_by_agent,
        say("Use Oban's unique jobs, and probe the pods."),
    )
    state = run(agents, models, "Nightly Oban job runs 3 times on 3 pods; also fix our probes.")

    answers = {m.name: m.content for m in state["messages"] if isinstance(m, AIMessage)}
    assert answers[ELIXIR] == "elixir: use Oban."
    assert answers[K8S] == "k8s: add a readinessProbe."
    # The model writes a short lead; the answers follow it as the agents wrote them.
    final = state["messages"][-1].content
    assert final.startswith("Use Oban's unique jobs, and probe the pods.\n\n")
    assert f"## {ELIXIR}\nelixir: use Oban." in final
    assert f"## {K8S}\nk8s: add a readinessProbe." in final
    assert "short lead" in models.calls[-1]["messages"][0].content
    assert state["messages"][-1].name == "supervisor"
    assert sorted(r["agent"] for r in state["results"]) == [ELIXIR, K8S]
    assert "elixir: use Oban." in models.calls[-1]["messages"][-1].content


def test_no_agent_fits_supervisor_answers_itself(agents):
    models = ScriptedModels.of(route(answer="Hello! Ask me about your Phoenix project."))
    state = run(agents, models, "hi there")

    assert state["messages"][-1].content == "Hello! Ask me about your Phoenix project."
    assert state["messages"][-1].name == "supervisor"
    assert state["route"]["agents"] == []
    assert len(models.calls) == 1


def test_unknown_agent_is_never_followed_model_asked_again(agents):
    models = ScriptedModels.of(
        route(("elixir-wizard", "do it")),
        route((ELIXIR, "List the routes.")),
        say("There are routes."),
    )
    state = run(agents, models, "list my routes")

    assert state["route"]["router"] == "model"
    retry = routing_calls(models)[1]["messages"][-1]
    assert isinstance(retry, ToolMessage)  # answers the refused call, as OpenAI requires
    assert "unknown agent 'elixir-wizard'" in retry.content
    assert state["messages"][-1].content == "There are routes."


def test_unknown_agent_twice_falls_back_to_lexical_router(agents):
    models = ScriptedModels.of(
        route(("elixir-wizard", "do it")),
        route(("phoenix-guru", "do it")),
        say("Oban answer."),
    )
    state = run(agents, models, "Our Oban cron job in the Phoenix app runs twice; how do I fix it?")

    assert state["route"]["router"] == "lexical"
    assert state["route"]["agents"] == [ELIXIR]
    assert state["route"]["reason"].startswith("fallback after the model's routing was unusable")
    assert state["messages"][-1].content == "Oban answer."


def test_mention_routes_without_a_model_call(agents):
    models = ScriptedModels.of(say("Routes listed."))
    state = run(agents, models, f"@{ELIXIR} list the routes")

    assert state["route"]["router"] == "mention"
    assert routing_calls(models) == []
    assert len(models.calls) == 1
    assert state["messages"][-1].content == "Routes listed."


def test_handoff_cap_ends_the_turn_with_a_note(agents):
    plan = [(ELIXIR, f"part {i}") for i in range(6)]
    models = ScriptedModels.of(
        route(*plan, parallel=False),
        *[say(f"answer {i}") for i in range(4)],
        say("Combined four parts."),
    )
    state = run(
        agents, models, "six things", ctx=RunContext(project=str(EXAMPLE_PROJECT), max_handoffs=4)
    )

    assert len(state["results"]) == 4
    final = state["messages"][-1].content
    assert final.startswith("Combined four parts.")
    assert "cap of 4 handoffs" in final and "not asked" in final
    # Sequential steps see the earlier results.
    fourth_brief = models.calls[4]["messages"][1].content
    assert "Earlier result from backend-elixir-phoenix:\nanswer 2" in fourth_brief


def test_repeated_handoffs_are_dropped(agents):
    models = ScriptedModels.of(
        route((ELIXIR, "List routes"), (ELIXIR, "list  ROUTES")),
        say("Routes."),
    )
    state = run(agents, models, "routes please")

    assert len(state["results"]) == 1
    assert state["messages"][-1].content == "Routes."


def test_step_budget_returns_what_was_gathered(agents):
    models = ScriptedModels.of(
        route((ELIXIR, "Dig into everything")),
        *[call("mix_project") for _ in range(3)],
    )
    ctx = RunContext(project=str(EXAMPLE_PROJECT), step_budget=3)
    state = run(agents, models, "dig", ctx=ctx)

    result = state["results"][0]
    assert result["budget_exhausted"] is True
    assert "stopped after 3 model calls" in result["answer"]
    assert "mix_project" in result["answer"]
    assert len(models.calls) == 4


def test_offline_end_to_end_on_example_project(agents):
    models = ScriptedModels.of()  # any model call would fail the test
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(
        agents, models, "Which LiveViews subscribe to PubSub topics in this Phoenix app?", ctx=ctx
    )

    assert models.calls == []
    assert state["route"]["router"] == "lexical"
    assert state["route"]["agents"] == [ELIXIR]
    answer = state["messages"][-1].content
    assert "without a language model" in answer
    assert "lib/kanban_web/live/" in answer
    tools_run = [c["name"] for c in state["results"][0]["tool_calls"]]
    assert tools_run[0] == "mix_project" and "liveviews" in tools_run


def test_offline_request_no_agent_fits_lists_agents(agents):
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(agents, ScriptedModels.of(), "good morning!", ctx=ctx)

    answer = state["messages"][-1].content
    assert state["route"]["agents"] == []
    assert f"@{ELIXIR}" in answer and f"@{K8S}" in answer


def test_follow_up_turn_keeps_the_conversation(agents, tmp_path):
    from langgraph.checkpoint.sqlite import SqliteSaver

    models = ScriptedModels.of(
        route((ELIXIR, "List Oban workers")),
        say("Workers: Kanban.Workers.DigestWorker."),
        route((ELIXIR, "Which queue does DigestWorker use?")),
        say("It uses the mailers queue."),
    )
    with SqliteSaver.from_conn_string(str(tmp_path / "threads.sqlite")) as saver:
        run(agents, models, "What Oban workers are there?", saver=saver)
        state = run(agents, models, "and which queue does it use?", saver=saver)

    second_routing = routing_calls(models)[1]["messages"]
    assert any("Workers: Kanban.Workers.DigestWorker." in m.content for m in second_routing)
    assert any(f"[{ELIXIR} answered]" in m.content for m in second_routing)
    assert [m.content for m in state["messages"] if isinstance(m, HumanMessage)] == [
        "What Oban workers are there?",
        "and which queue does it use?",
    ]
    assert state["messages"][-1].content == "It uses the mailers queue."


def test_agent_node_per_agent_file(agents):
    graph = build_graph(agents, models=ScriptedModels.of())
    nodes = set(graph.get_graph().nodes)
    assert {"supervisor", ELIXIR, K8S, "sql-pro"} <= nodes


def test_example_project_path_exists():
    assert (Path(EXAMPLE_PROJECT) / "mix.exs").is_file()


def test_a_changed_project_file_is_seen_at_the_next_handoff(agents, tmp_path):
    project = tmp_path / "kanban"
    shutil.copytree(EXAMPLE_PROJECT, project)
    ctx = RunContext(project=str(project), offline=True)
    graph = build_graph(agents, models=ScriptedModels.of(), checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "edits"}}

    def ask_routes() -> str:
        request = {"messages": [HumanMessage(f"@{ELIXIR} list the routes")]}
        return graph.invoke(request, config, context=ctx)["messages"][-1].content

    assert "/healthz" not in ask_routes()
    router = project / "lib" / "kanban_web" / "router.ex"
    source = router.read_text()
    router.write_text(source.replace(
        'get "/", PageController, :home',
        'get "/", PageController, :home\n    get "/healthz", HealthController, :show',
    ))  # fmt: skip
    assert "GET /healthz" in ask_routes()


def test_offline_project_question_without_stack_words_reaches_the_project_agent():
    """With only the product's own agent, "routes" and "pipeline" share no word with its
    description; read with the project's stack, the request is about this Phoenix project."""
    only_seed = load_agents([REPO_ROOT / "agents"]).agents
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(only_seed, ScriptedModels.of(), "which routes use the browser pipeline?", ctx=ctx)

    assert state["route"]["agents"] == [ELIXIR]
    reason = state["route"]["reason"]
    assert "asks about the project's phoenix_routes; read with its stack" in reason
    assert "phoenix_routes" in [c["name"] for c in state["results"][0]["tool_calls"]]

    greeting = run(only_seed, ScriptedModels.of(), "good morning!", ctx=ctx, thread="t2")
    assert greeting["route"]["agents"] == []


@pytest.mark.parametrize(
    ("request_text", "agents"),
    [
        # One ordinary word that is also a topic word ("mount": LiveView's callback) is no
        # sign that a request is about the project; speaking of the project makes it one.
        ("how tall is mount everest in feet?", []),
        ("why does the mount of our app crash?", [ELIXIR]),
        ("the LiveView mount crashes", [ELIXIR]),  # a word of the field
    ],
)
def test_offline_an_ordinary_word_alone_does_not_make_a_request_about_the_project(
    request_text, agents
):
    only_seed = load_agents([REPO_ROOT / "agents"]).agents
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(only_seed, ScriptedModels.of(), request_text, ctx=ctx)

    assert state["route"]["agents"] == agents


def test_offline_a_request_that_may_mean_the_project_says_whom_to_ask():
    """ "list the routes" routes nowhere (one ordinary topic word), but the answer says how to
    ask the agent that knows the project; a greeting gets no such line."""
    only_seed = load_agents([REPO_ROOT / "agents"]).agents
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)

    routes = run(only_seed, ScriptedModels.of(), "list the routes", ctx=ctx)
    greeting = run(only_seed, ScriptedModels.of(), "good morning!", ctx=ctx, thread="t2")

    assert routes["route"]["agents"] == []
    answer = routes["messages"][-1].content
    assert answer.endswith(f"If you meant this project, ask: @{ELIXIR} list the routes")
    assert "If you meant" not in greeting["messages"][-1].content


def test_offline_request_naming_the_projects_code_reaches_the_project_agent():
    """ "BoardChannel" and "race conditions" share no word with the agent's description, but
    the module is the project's own: the request is about this project."""
    only_seed = load_agents([REPO_ROOT / "agents"]).agents
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    request = "Can you review the BoardChannel for race conditions?"
    state = run(only_seed, ScriptedModels.of(), request, ctx=ctx)

    assert state["route"]["agents"] == [ELIXIR]
    assert "the request names the project's BoardChannel" in state["route"]["reason"]


@pytest.mark.parametrize(
    ("request_text", "named"),
    [
        ("why does /boards/42 crash?", "/boards/:id"),  # a route's path, as requested
        ("what renders /boards/:id?", "/boards/:id"),  # as the router declares it
        ("GET /boards/42/cards/7 is blank", "/boards/:id/cards/:card_id"),
        ("who calls Kanban.Boards.move_card/4?", "Kanban.Boards.move_card"),
        ("what is 10/4?", None),
    ],
)
def test_a_request_naming_the_projects_routes_or_code_is_about_the_project(request_text, named):
    about = _about_the_project(request_text, project_toolset(EXAMPLE_PROJECT))
    assert about == (f"the request names the project's {named}" if named else "")


def test_offline_request_naming_a_route_path_reaches_the_project_agent():
    only_seed = load_agents([REPO_ROOT / "agents"]).agents
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(only_seed, ScriptedModels.of(), "why is /boards/:id blank?", ctx=ctx)

    assert state["route"]["agents"] == [ELIXIR]
    assert "the request names the project's /boards/:id" in state["route"]["reason"]


def test_the_routing_model_is_told_the_project_stack(agents):
    models = ScriptedModels.of(route(answer="Hi."))
    run(agents, models, "hi")
    system = models.calls[0]["messages"][0].content
    assert "The user's project is an Elixir mix project (Phoenix 1.7.14, LiveView 1.0.1" in system


def test_a_task_naming_one_topic_starts_from_its_facts(agents):
    """The task names Oban: the specialist reads ``oban_jobs`` itself, and the model's first
    call already holds the jobs, so it answers at once, within a budget of one call."""
    models = ScriptedModels.of(
        route((ELIXIR, "Which Oban jobs run on a cron schedule?")),
        say("DueDateReminder runs hourly (config/config.exs)."),
    )
    ctx = RunContext(project=str(EXAMPLE_PROJECT), step_budget=1)
    state = run(agents, models, "which cron jobs do we have?", ctx=ctx)

    first = models.calls[1]["messages"]
    assert [type(m) for m in first] == [SystemMessage, HumanMessage, AIMessage, ToolMessage]
    assert first[2].tool_calls[0]["name"] == "oban_jobs"
    assert first[3].name == "oban_jobs"
    assert "Kanban.Workers.DueDateReminder" in first[3].content  # read from the real project
    result = state["results"][0]
    assert result["answer"] == "DueDateReminder runs hourly (config/config.exs)."
    assert [c["name"] for c in result["tool_calls"]] == ["oban_jobs"]
    assert result["model_calls"] == 1
    assert result["budget_exhausted"] is False
    assert len(models.calls) == 2


def test_a_task_naming_missing_or_ambiguous_code_reads_nothing_ahead(agents):
    """No such module; handle_info is defined by several: the lookup fails and is dropped."""
    models = ScriptedModels.of(
        route((ELIXIR, "What does KanbanWeb.NoSuchThing do in handle_info?")),
        say("There is no such LiveView."),
    )
    state = run(agents, models, "what does NoSuchThing do?")

    assert [type(m) for m in models.calls[1]["messages"]] == [SystemMessage, HumanMessage]
    assert state["results"][0]["tool_calls"] == []


def test_a_tool_not_offered_to_a_handoff_still_runs_when_called(agents):
    """The handoff is offered the route and LiveView tools; the overview lists oban_jobs too,
    and a model that calls it gets the project's jobs, not an unknown-tool error."""
    models = ScriptedModels.of(
        route((ELIXIR, "List the LiveView routes and what each LiveView subscribes to.")),
        call("oban_jobs"),
        say("The routes do not enqueue jobs."),
    )
    state = run(agents, models, "Which LiveViews subscribe to PubSub?")

    assert "oban_jobs" not in models.calls[1]["tools"]
    result = next(m for m in models.calls[2]["messages"] if isinstance(m, ToolMessage))
    assert result.name == "oban_jobs" and result.status == "success"
    assert "Kanban.Workers.DueDateReminder" in result.content
    assert state["results"][0]["answer"] == "The routes do not enqueue jobs."


def test_an_unknown_leading_mention_is_said_and_the_rest_routed_offline(agents):
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(
        agents, ScriptedModels.of(), "@elixir-wizard which Oban workers are there?", ctx=ctx
    )

    assert state["route"]["agents"] == [ELIXIR]
    assert state["route"]["reason"].startswith("no agent is named @elixir-wizard; ")
    assert state["results"][0]["task"] == "which Oban workers are there?"
    answer = state["messages"][-1].content
    assert "oban_jobs" in answer
    assert answer.endswith(
        "Note: no agent is named @elixir-wizard; the rest of the request was routed without it."
    )


def test_an_unknown_mention_is_said_when_the_supervisor_answers_itself(agents):
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(agents, ScriptedModels.of(), "@kubernetes-specialst good morning!", ctx=ctx)

    assert state["route"]["agents"] == []
    answer = state["messages"][-1].content
    assert answer.startswith("No agent fits this request")
    assert (
        "Note: no agent is named @kubernetes-specialst (did you mean @kubernetes-specialist?)"
        in (answer)
    )


def test_an_unknown_mention_is_said_on_the_model_routed_path(agents):
    models = ScriptedModels.of(route((ELIXIR, "List the routes.")), say("Routes."))
    state = run(agents, models, "@frontend-react: list the routes")

    routing_request = routing_calls(models)[0]["messages"][-1]
    assert routing_request.content == "list the routes"  # the model never sees the bad handle
    assert state["route"]["router"] == "model"
    assert state["messages"][-1].content == (
        "Routes.\n\nNote: no agent is named @frontend-react; "
        "the rest of the request was routed without it."
    )


def test_a_request_that_is_only_an_unknown_mention_asks_no_model(agents):
    models = ScriptedModels.of()  # any model call would fail the test
    state = run(agents, models, "@sqlpro")

    assert state["route"] == {
        "router": "mention",
        "agents": [],
        "reason": "no agent is named @sqlpro (did you mean @sql-pro?)",
    }
    answer = state["messages"][-1].content
    assert f"@{K8S}" in answer  # the agents the user can name instead
    assert answer.endswith("Note: no agent is named @sqlpro (did you mean @sql-pro?).")


@pytest.mark.parametrize(
    "code",
    [
        "@impl true\ndef mount(_params, _session, socket), do: {:ok, socket}",
        "@moduledoc false\ndefmodule Kanban.Boards do",
        "@spec create_board(map()) :: {:ok, Board.t()}",
        '@doc """\nLists the boards.\n"""',
        '@topic "board"\ndef subscribe, do: Phoenix.PubSub.subscribe(Kanban.PubSub, @topic)',
    ],
)
def test_elixir_module_attributes_are_not_agent_mentions(agents, code):
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=True)
    state = run(agents, ScriptedModels.of(), code, ctx=ctx)

    assert "no agent is named" not in state["route"]["reason"]
    assert state["notes"] == []
    assert "Note:" not in state["messages"][-1].content


@pytest.mark.parametrize(
    ("request_text", "handle", "suggestion", "rest"),
    [
        ("@frontend-react what does the board page look like?", "frontend-react", None, "what"),
        ("@sql_pro slow query", "sql_pro", "sql-pro", "slow query"),  # a misspelt name
        ("  @Kubernets-Specialist, pods?", "Kubernets-Specialist", K8S, "pods?"),
    ],
)
def test_find_unknown_mention(agents, request_text, handle, suggestion, rest):
    from graph.routing import find_unknown_mention

    found = find_unknown_mention(request_text, agents)
    assert found is not None
    assert (found.handle, found.suggestion) == (handle, suggestion)
    assert found.rest.startswith(rest)


@pytest.mark.parametrize(
    "request_text",
    [f"@{ELIXIR} list routes", "@SQL-PRO joins", "@docs intro", "@doc false", "email @frontend-x"],
)
def test_find_unknown_mention_leaves_known_names_and_code_alone(agents, request_text):
    from graph.routing import find_unknown_mention

    # "docs" is a loaded agent here: "@doc" is closer to it than a typo needs, but is Elixir's.
    names = [*agents, "docs"]
    assert find_unknown_mention(request_text, names) is None


def test_the_supervisor_hands_off_again_when_the_answers_leave_a_part_open(agents):
    """Finishing two results is one model call anyway; there the model may ask one more agent,
    which sees the earlier answers, and the turn ends on the combined answer of all three."""
    answer = _by_agent(
        elixir="Queues: default, mailers, events (config/config.exs:26).",
        k8s="Set requests/limits per queue size.",
    )
    models = ScriptedModels.of(
        route((ELIXIR, "Which Oban queues exist?"), (K8S, "Pod limits for the workers?")),
        answer,
        answer,
        call("FollowUpHandoff", agent="sql-pro", task="Which indexes does oban_jobs need?"),
        say("oban_jobs needs its state/queue index."),
        say("Three queues, pod limits per queue, and an index on oban_jobs."),
    )
    state = run(agents, models, "Oban queues, pod limits, and is the jobs table indexed?")

    assert sorted(r["agent"] for r in state["results"][:2]) == [ELIXIR, K8S]
    assert state["results"][2]["agent"] == "sql-pro"
    # The combining call was offered the follow-up, with the request and both answers.
    combining = models.calls[3]
    assert combining["tools"] == ["FollowUpHandoff"]
    assert "is the jobs table indexed?" in combining["messages"][-1].content
    # The follow-up agent is briefed with what the others found.
    brief = models.calls[4]["messages"][1].content
    assert "Which indexes does oban_jobs need?" in brief
    assert "Earlier result from kubernetes-specialist" in brief
    final = state["messages"][-1].content
    assert final.startswith("Three queues, pod limits per queue, and an index on oban_jobs.")
    assert "## sql-pro\noban_jobs needs its state/queue index." in final
    assert state["handoffs"] == 3


def test_a_follow_up_to_an_unknown_agent_is_not_made(agents):
    answer = _by_agent(elixir="Queues: default.", k8s="Set limits.")
    models = ScriptedModels.of(
        route((ELIXIR, "Which Oban queues exist?"), (K8S, "Pod limits for the workers?")),
        answer,
        answer,
        call("FollowUpHandoff", agent="dba-wizard", task="Index the jobs table."),
    )
    state = run(agents, models, "Oban queues and pod limits?")

    final = state["messages"][-1].content
    assert f"## {ELIXIR}\nQueues: default." in final and f"## {K8S}\nSet limits." in final
    assert "Note: a follow-up handoff to unknown agent 'dba-wizard' was not made." in final
    assert len(state["results"]) == 2


def test_no_follow_up_is_offered_at_the_handoff_cap(agents):
    models = ScriptedModels.of(
        route((ELIXIR, "part 1"), (K8S, "part 2")),
        say("an answer"),
        say("an answer"),
        say("Lead."),
    )
    ctx = RunContext(project=str(EXAMPLE_PROJECT), max_handoffs=2)
    state = run(agents, models, "two parts", ctx=ctx)

    assert models.calls[-1]["tools"] == []
    assert state["messages"][-1].content.startswith("Lead.\n\n## ")


def _by_agent(*, elixir: str, k8s: str):
    """A scripted step answering as the agent whose system prompt it is given (parallel
    handoffs call the model in either order)."""
    return lambda messages: say(k8s if "Kubernetes" in messages[0].content else elixir)

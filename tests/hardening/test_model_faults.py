"""Model faults: a misbehaving OpenAI-compatible server (real HTTP, real ChatOpenAI) and the
scripted model. Every fault ends after a bounded number of requests in a good answer or one
``ModelFailure`` line naming the endpoint, the model and the fault; never a hang, a stack trace
or a ``GraphRecursionError``.
"""

from __future__ import annotations

import socket

import httpx
import openai
import pytest
from langchain_core.messages import AIMessage

from graph.context import EXAMPLE_PROJECT, RunContext
from graph.loop_limits import MAX_TOOL_ERRORS
from graph.models import ModelFailure, OpenAIModels
from graph.registry import default_agent_dirs, load_agents
from graph.session import Session
from tests.cli import clean_env, run_cli
from tests.hardening.fault_server import (
    FaultServer,
    dropped,
    error,
    not_json,
    routing,
    text,
    tool_call,
    truncated,
)
from tests.scripted_model import ScriptedModels, call, route, say

ELIXIR = "backend-elixir-phoenix"
MODEL = "fault-model"
FAST = OpenAIModels(timeout_s=0.5, max_retries=1)  # one retry, half-second timeout


@pytest.fixture(scope="module")
def agents() -> dict:
    return load_agents(default_agent_dirs()).agents


def _ask(agents, models, question, tmp_path, *, base_url=None, step_budget=6):
    ctx = RunContext(
        project=str(EXAMPLE_PROJECT),
        model=MODEL,
        base_url=base_url,
        offline=False,
        step_budget=step_budget,
    )
    checkpoint = str(tmp_path / "threads.sqlite")
    with Session.open(agents, ctx, checkpoint=checkpoint, models=models) as session:
        return session.ask(question)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- endpoint faults over HTTP -----------------------------------------------------------------

FAILING = {
    "timeout": ([text("too late", delay_s=3)] * 2, "the request timed out", 2),
    "429-forever": ([error(429, "limited", headers={"Retry-After": "0.1"})] * 2, "HTTP 429", 2),
    "500-forever": ([error(500, "boom")] * 2, "HTTP 500: boom", 2),
    "503-forever": ([error(503, "overloaded")] * 2, "HTTP 503: overloaded", 2),
    "truncated-body": ([truncated()] * 2, "peer closed connection", None),
    "web-page-body": ([not_json()] * 2, "text/html, not a chat completion", None),
    "dropped-connection": ([dropped()] * 2, "Server disconnected", 2),
    "retry-after-too-long": ([error(429, "later", headers={"Retry-After": "3600"})], "HTTP 429", 1),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_endpoint_fault_is_one_clear_line_after_bounded_retries(agents, tmp_path, case):
    script, fault, requests = FAILING[case]
    with FaultServer(script) as server:
        with pytest.raises(ModelFailure) as failed:
            _ask(agents, FAST, "what routes are there?", tmp_path, base_url=server.base_url)
        sent = len(server.requests)

    line = str(failed.value)
    assert "\n" not in line
    assert line.startswith(f"model '{MODEL}' at {server.base_url} failed: ")
    assert fault in line
    if requests is not None:
        assert sent == requests
    else:
        assert 1 <= sent <= 2


def test_connection_refused_is_one_clear_line(agents, tmp_path):
    base_url = f"http://127.0.0.1:{_free_port()}/v1"
    with pytest.raises(ModelFailure) as failed:
        _ask(agents, FAST, "what routes are there?", tmp_path, base_url=base_url)
    assert str(failed.value) == (
        f"model '{MODEL}' at {base_url} failed: the connection failed "
        "([Errno 111] Connection refused)"
    )


@pytest.mark.parametrize(
    "first",
    [
        error(429, "slow down", headers={"Retry-After": "0.2"}),
        error(500, "blip"),
        error(503, "warming up"),
        text("late", delay_s=2),
        dropped(),
    ],
    ids=["429-retry-after", "500", "503", "timeout", "dropped"],
)
def test_one_transient_fault_is_retried_into_a_good_answer(agents, tmp_path, first):
    with FaultServer([first, routing(answer="Hello from the supervisor.")]) as server:
        turn = _ask(agents, FAST, "hi", tmp_path, base_url=server.base_url)
        assert len(server.requests) == 2
    assert turn.answer == "Hello from the supervisor."


def test_retry_after_is_honoured(agents, tmp_path):
    import time

    stamps: list[float] = []
    with FaultServer([error(429, "wait", headers={"Retry-After": "1"}), routing(answer="ok")]) as s:
        original = s._next

        def stamped(body):
            stamps.append(time.monotonic())
            return original(body)

        s._next = stamped
        _ask(agents, FAST, "hi", tmp_path, base_url=s.base_url)
    assert stamps[1] - stamps[0] >= 0.9  # waited as told, not the default half-second backoff


# --- model misbehaviour over HTTP ---------------------------------------------------------


def _tool_messages(request: dict) -> list[dict]:
    return [m for m in request["messages"] if m["role"] == "tool"]


def test_malformed_tool_arguments_go_back_to_the_model_which_corrects_itself(agents, tmp_path):
    script = [
        routing((ELIXIR, "Show the first lines of mix.exs.")),
        tool_call("read_file", '{"path": mix.exs}'),  # not JSON, not even repairable
        tool_call("read_file", {"path": "mix.exs", "end_line": 3}),
        text("mix.exs starts with defmodule Kanban.MixProject."),
    ]
    with FaultServer(script) as server:
        turn = _ask(agents, FAST, "show mix.exs", tmp_path, base_url=server.base_url)
        requests = list(server.requests)

    assert turn.answer == "mix.exs starts with defmodule Kanban.MixProject."
    told = _tool_messages(requests[2])
    assert len(told) == 1 and "not a valid JSON object" in told[0]["content"]
    assert "Kanban.MixProject" in _tool_messages(requests[3])[-1]["content"]


@pytest.mark.parametrize(
    "bad",
    [
        tool_call("read_file", '{"path": mix.exs}'),  # not JSON
        tool_call("read_file", "{not json"),  # repaired by the client into {}: a missing path
        tool_call("read_file", {"path": 42, "start_line": "one"}),  # wrong types
        tool_call("rm", {"path": "."}),  # no such tool
    ],
    ids=["not-json", "repaired-to-empty", "wrong-types", "unknown-tool"],
)
def test_failing_tool_calls_are_sent_back_a_few_times_only(agents, tmp_path, bad):
    script = [routing((ELIXIR, "Read mix.exs.")), *[bad] * 10]
    with FaultServer(script) as server:
        turn = _ask(agents, FAST, "read it", tmp_path, base_url=server.base_url, step_budget=12)
        sent = len(server.requests)

    assert sent == 1 + MAX_TOOL_ERRORS  # no model call once the bound is reached
    assert turn.answer == f"(Stopped: the model's tool calls failed {MAX_TOOL_ERRORS} times.)"


def test_a_call_to_a_tool_that_does_not_exist_is_a_tool_error(agents, tmp_path):
    script = [
        routing((ELIXIR, "Clean up the project.")),
        tool_call("delete_everything", {"path": "."}),
        text("I can only read the project."),
    ]
    with FaultServer(script) as server:
        turn = _ask(agents, FAST, "clean up", tmp_path, base_url=server.base_url)
        told = _tool_messages(server.requests[2])

    assert turn.answer == "I can only read the project."
    assert "delete_everything is not a valid tool" in told[0]["content"]


def test_a_handoff_to_an_agent_that_does_not_exist_falls_back_to_the_lexical_router(
    agents, tmp_path
):
    script = [
        routing(("elixir-wizard", "do it")),
        routing(("phoenix-guru", "do it")),
        text("Oban answer."),
    ]
    question = "Our Oban cron job in the Phoenix app runs twice; how do I fix it?"
    with FaultServer(script) as server:
        turn = _ask(agents, FAST, question, tmp_path, base_url=server.base_url)
        retry_prompt = server.requests[1]["messages"][-1]["content"]

    assert "unknown agent 'elixir-wizard'" in retry_prompt
    assert turn.route["router"] == "lexical" and turn.route["agents"] == [ELIXIR]
    assert turn.answer == "Oban answer."


def test_empty_answers_everywhere_end_in_a_clear_answer(agents, tmp_path):
    script = [text(""), text(""), text("")]  # routing twice (unusable), then the specialist
    question = "Which Phoenix routes does the router define?"
    with FaultServer(script) as server:
        turn = _ask(agents, FAST, question, tmp_path, base_url=server.base_url)
        assert len(server.requests) == 3

    assert turn.route["router"] == "lexical"
    assert turn.answer == "(The model returned an empty answer.)"


def test_a_model_that_calls_tools_forever_stops_at_the_step_budget(agents, tmp_path):
    script = [routing((ELIXIR, "Dig.")), *[tool_call("mix_project")] * 50]
    with FaultServer(script) as server:
        turn = _ask(agents, FAST, "dig", tmp_path, base_url=server.base_url, step_budget=3)
        assert len(server.requests) == 1 + 3

    assert turn.results[0]["budget_exhausted"] is True
    assert "stopped after 3 model calls" in turn.answer


# --- the same faults through the scripted model -------------------------------------------


def _request() -> httpx.Request:
    return httpx.Request("POST", "http://scripted.invalid/v1/chat/completions")


@pytest.mark.parametrize(
    ("raised", "fault"),
    [
        (openai.APITimeoutError(request=_request()), "the request timed out"),
        (openai.APIConnectionError(request=_request()), "the connection failed"),
        (
            openai.RateLimitError(
                "rate limited",
                response=httpx.Response(429, request=_request()),
                body=None,
            ),
            "HTTP 429: rate limited",
        ),
    ],
    ids=["timeout", "connection", "429"],
)
def test_scripted_endpoint_faults_become_one_line(agents, tmp_path, raised, fault):
    with pytest.raises(ModelFailure) as failed:
        _ask(agents, ScriptedModels.of(raised), "hi", tmp_path)
    assert fault in str(failed.value) and MODEL in str(failed.value)


def test_scripted_malformed_arguments_and_unknown_tool_are_corrected(agents, tmp_path):
    malformed = AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "name": "read_file",
                "args": '{"path": ',
                "id": "bad_1",
                "error": "cut",
                "type": "invalid_tool_call",
            }
        ],
    )
    models = ScriptedModels.of(
        route((ELIXIR, "Read mix.exs.")),
        malformed,
        call("no_such_tool"),
        call("read_file", path="mix.exs", end_line=2),
        say("Read it."),
    )
    turn = _ask(agents, models, "read mix.exs", tmp_path)

    assert turn.answer == "Read it."
    last_call = models.calls[-1]["messages"]
    errors = [m.content for m in last_call if getattr(m, "status", None) == "error"]
    assert any("not a valid JSON object" in e for e in errors)
    assert any("no_such_tool is not a valid tool" in e for e in errors)


def test_scripted_model_calling_tools_forever_never_raises_recursion_error(agents, tmp_path):
    models = ScriptedModels.of(route((ELIXIR, "Dig.")), *[call("mix_project")] * 30)
    turn = _ask(agents, models, "dig", tmp_path, step_budget=5)
    assert turn.results[0]["budget_exhausted"] is True
    assert len(models.calls) == 1 + 5


# --- the CLI -------------------------------------------------------------------------------


def test_cli_endpoint_failure_is_exit_1_with_one_error_line_and_no_trace():
    env = clean_env(MIXCREW_TIMEOUT="0.5", MIXCREW_MAX_RETRIES="1")
    with FaultServer([error(503, "overloaded")] * 2) as server:
        done = run_cli("hi", "--base-url", server.base_url, env=env, timeout=90)
        assert len(server.requests) == 2

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    failures = [line for line in done.stderr.splitlines() if " failed: " in line]
    assert failures == [
        f"mixcrew: model 'gpt-4o-mini' at {server.base_url} failed: HTTP 503: overloaded"
    ]


@pytest.mark.parametrize(
    ("name", "value"), [("MIXCREW_TIMEOUT", "soon"), ("MIXCREW_MAX_RETRIES", "-2")]
)
def test_cli_bad_retry_settings_are_a_usage_error(name, value):
    env = clean_env(**{name: value})
    done = run_cli("hi", "--base-url", "http://127.0.0.1:9/v1", env=env, timeout=90)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"mixcrew: ${name}={value!r}: ")

"""Thread memory: SQLite across processes, ``--threads``, and a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from graph.builder import build_graph
from graph.checkpoints import (
    checkpoint_target,
    default_checkpoint_path,
    list_threads,
    open_checkpointer,
)
from graph.context import EXAMPLE_PROJECT, REPO_ROOT, RunContext
from graph.messages import text_of
from graph.registry import load_agents
from tests.cli import clean_env, run_cli
from tests.scripted_model import ScriptedModels, say

ELIXIR = "backend-elixir-phoenix"
# Read at import: tests/conftest.py removes every MIXCREW_* variable before a test runs.
POSTGRES_URL = os.environ.get("MIXCREW_TEST_POSTGRES_URL")
POSTGRES_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
)
CONCURRENT_THREADS = 20


@pytest.fixture(scope="module")
def agents() -> dict:
    return load_agents([REPO_ROOT / "agents"]).agents


def cli(*args: str, checkpoint: Path) -> subprocess.CompletedProcess:
    return run_cli(*args, env=clean_env(MIXCREW_CHECKPOINT=str(checkpoint)))


def saved_state(agents: dict, target: str, thread_id: str) -> dict:
    with open_checkpointer(target) as saver:
        graph = build_graph(agents, models=ScriptedModels.of(), checkpointer=saver)
        return graph.get_state({"configurable": {"thread_id": thread_id}}).values


# -- SQLite ---------------------------------------------------------------------------------


def test_default_checkpoint_is_sqlite_in_the_user_state_dir(monkeypatch):
    from platformdirs import user_state_dir

    monkeypatch.delenv("MIXCREW_CHECKPOINT", raising=False)
    assert default_checkpoint_path() == Path(user_state_dir("mixcrew")) / "threads.sqlite"
    assert checkpoint_target() == str(default_checkpoint_path())
    assert checkpoint_target("/elsewhere.sqlite") == "/elsewhere.sqlite"


def test_thread_continues_across_processes_and_follow_up_knows_the_agent(agents, tmp_path):
    checkpoint = tmp_path / "threads.sqlite"
    question = f"@{ELIXIR} Which Oban workers are there?"
    first = cli(question, "--thread", "t-oban", checkpoint=checkpoint)
    assert first.returncode == 0, first.stderr
    second = cli("and what about those?", "--thread", "t-oban", "--json", checkpoint=checkpoint)
    assert second.returncode == 0, second.stderr

    turn = json.loads(second.stdout)
    # No agent matches "those" by its words: the saved history says who answered before.
    assert turn["route"]["router"] == "follow-up"
    assert turn["route"]["agents"] == [ELIXIR]
    # The agent does not see the chat: its task says what "those" refers to, so the offline
    # briefing reads the Oban jobs again rather than a list of every module.
    task = turn["handoffs"][0]["task"]
    assert task == f"and what about those?\n(A follow-up to: {question})"
    assert "oban_jobs" in [call["name"] for call in turn["tool_calls"]]
    state = saved_state(agents, str(checkpoint), "t-oban")
    questions = [text_of(m) for m in state["messages"] if isinstance(m, HumanMessage)]
    assert questions == [question, "and what about those?"]
    assert [m.name for m in state["messages"] if isinstance(m, AIMessage)] == [ELIXIR, ELIXIR]


def test_a_follow_up_that_names_code_keeps_what_it_follows(tmp_path):
    checkpoint = tmp_path / "threads.sqlite"
    first = cli("Where is the board channel authorised?", "--thread", "t-bc", checkpoint=checkpoint)
    assert first.returncode == 0, first.stderr
    second = cli("what about handle_in?", "--thread", "t-bc", "--json", checkpoint=checkpoint)
    assert second.returncode == 0, second.stderr

    turn = json.loads(second.stdout)
    # Routed by the code it names, it still says what it follows: handle_in is BoardChannel's.
    task = turn["handoffs"][0]["task"]
    assert task == "what about handle_in?\n(A follow-up to: Where is the board channel authorised?)"
    looked_up = [call["args"] for call in turn["tool_calls"] if call["name"] == "find_function"]
    assert looked_up == [{"reference": "BoardChannel.handle_in"}]


def test_threads_flag_lists_threads_newest_first(tmp_path):
    checkpoint = tmp_path / "threads.sqlite"
    empty = cli("--threads", checkpoint=checkpoint)
    assert empty.returncode == 0 and empty.stdout == ""
    assert "no saved threads" in empty.stderr

    for thread, question in (("older", "@backend-elixir-phoenix list routes"), ("newer", "hi")):
        assert cli(question, "--thread", thread, checkpoint=checkpoint).returncode == 0
    follow_up = cli(f"@{ELIXIR} and ecto?", "--thread", "newer", checkpoint=checkpoint)
    assert follow_up.returncode == 0, follow_up.stderr

    listed = cli("--threads", checkpoint=checkpoint)
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("newer", "2 turn(s)", "hi"),
        ("older", "1 turn(s)", "@backend-elixir-phoenix list routes"),
    ]
    as_json = json.loads(cli("--threads", "--json", checkpoint=checkpoint).stdout)
    assert [t["thread_id"] for t in as_json] == ["newer", "older"]
    assert as_json[0]["updated_at"] > as_json[1]["updated_at"]


def test_list_threads_of_a_new_sqlite_file_is_empty(tmp_path):
    with open_checkpointer(str(tmp_path / "fresh.sqlite")) as saver:
        assert list_threads(saver) == []


# -- PostgreSQL -----------------------------------------------------------------------------


def _reachable_postgres() -> tuple[str | None, str]:
    """The first URL that answers, or None and why none did."""
    import psycopg

    candidates = [POSTGRES_URL] if POSTGRES_URL else []
    failures = []
    for url in [*candidates, *POSTGRES_CANDIDATES]:
        try:
            with psycopg.connect(url, connect_timeout=3):
                return url, ""
        except psycopg.Error as error:
            failures.append(f"{url}: {str(error).strip().splitlines()[0]}")
    return None, "; ".join(failures)


@pytest.fixture
def postgres_url():
    """A URL into a schema of its own on the real server, dropped afterwards."""
    import psycopg

    url, why = _reachable_postgres()
    if url is None:
        pytest.skip(f"no PostgreSQL server reachable ({why})")
    schema = f"mixcrew_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            separator = "&" if "?" in url else "?"
            yield f"{url}{separator}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _answer_the_brief(messages):
    """The specialist's reply names the request it was given, so answers cannot be mixed up."""
    brief = text_of(messages[-1])
    task = brief.split("Task from the supervisor: ")[-1].split("\n")[0]
    return say(f"answer to <{task}>")


def test_postgres_checkpointer_sets_up_and_keeps_a_thread(agents, postgres_url):
    import psycopg

    models = ScriptedModels.of(_answer_the_brief, _answer_the_brief)
    ctx = RunContext(project=str(EXAMPLE_PROJECT))
    config = {"configurable": {"thread_id": "pg-1"}}
    with open_checkpointer(postgres_url) as saver:
        graph = build_graph(agents, models=models, checkpointer=saver)
        graph.invoke({"messages": [HumanMessage(f"@{ELIXIR} first")]}, config, context=ctx)
    with open_checkpointer(postgres_url) as saver:  # a new process would do the same
        graph = build_graph(agents, models=models, checkpointer=saver)
        graph.invoke({"messages": [HumanMessage(f"@{ELIXIR} second")]}, config, context=ctx)
        state = graph.get_state(config).values
        threads = list_threads(saver)

    assert [text_of(m) for m in state["messages"]] == [
        f"@{ELIXIR} first",
        "answer to <first>",
        f"@{ELIXIR} second",
        "answer to <second>",
    ]
    assert [(t.thread_id, t.turns, t.first_question) for t in threads] == [
        ("pg-1", 2, f"@{ELIXIR} first")
    ]
    with psycopg.connect(postgres_url) as connection:  # setup() made the tables in our schema
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }
    assert {"checkpoints", "checkpoint_writes", "checkpoint_migrations"} <= tables


def test_twenty_concurrent_threads_through_one_pool(agents, postgres_url):
    turns_per_thread = 2
    models = ScriptedModels.of(*[_answer_the_brief] * (CONCURRENT_THREADS * turns_per_thread))
    ctx = RunContext(project=str(EXAMPLE_PROJECT))

    def converse(graph, number: int) -> None:
        config = {"configurable": {"thread_id": f"conc-{number}"}}
        for turn in range(turns_per_thread):
            request = {"messages": [HumanMessage(f"@{ELIXIR} thread {number} turn {turn}")]}
            graph.invoke(request, config, context=ctx)

    with open_checkpointer(postgres_url) as saver:  # one ConnectionPool behind one saver
        graph = build_graph(agents, models=models, checkpointer=saver)
        with ThreadPoolExecutor(max_workers=CONCURRENT_THREADS) as pool:
            for future in [pool.submit(converse, graph, n) for n in range(CONCURRENT_THREADS)]:
                future.result()
        states = {
            n: graph.get_state({"configurable": {"thread_id": f"conc-{n}"}}).values
            for n in range(CONCURRENT_THREADS)
        }
        listed = list_threads(saver)

    assert len(models.calls) == CONCURRENT_THREADS * turns_per_thread
    for n, state in states.items():
        expected = []
        for turn in range(turns_per_thread):
            expected += [f"@{ELIXIR} thread {n} turn {turn}", f"answer to <thread {n} turn {turn}>"]
        assert [text_of(m) for m in state["messages"]] == expected
        assert state["route"] == {
            "router": "mention",
            "agents": [ELIXIR],
            "reason": f"the request names @{ELIXIR}",
        }
    assert sorted(t.thread_id for t in listed) == sorted(f"conc-{n}" for n in states)
    assert {t.turns for t in listed} == {turns_per_thread}

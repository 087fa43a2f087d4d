"""LangGraph Studio: the factory in ``langgraph.json``; ``langgraph dev`` serving it for real."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.context import EXAMPLE_PROJECT, REPO_ROOT
from graph.studio import graph_for, make_graph
from tests.cli import clean_env

ELIXIR = "backend-elixir-phoenix"
SHARED_AGENTS = REPO_ROOT / "tests" / "fixtures" / "routing" / "agents"
LANGGRAPH_CLI = Path(sys.executable).parent / "langgraph"
SERVER_START_TIMEOUT_S = 90


def test_langgraph_json_points_at_the_factory():
    config = json.loads((REPO_ROOT / "langgraph.json").read_text())
    assert config["dependencies"] == ["."]
    assert config["env"] == ".env"
    module, _, attribute = config["graphs"]["mixcrew"].partition(":")
    assert (module, attribute) == ("graph.studio", "make_graph")


def test_factory_builds_one_node_per_agent_from_the_configured_directory(tmp_path):
    agents = tmp_path / "agents"
    agents.mkdir()
    for name in ("sql-pro", "kubernetes-specialist"):
        (agents / f"{name}.md").write_text((SHARED_AGENTS / f"{name}.md").read_text())

    default = asyncio.run(make_graph({"configurable": {}}))
    chosen = graph_for({"configurable": {"agents_dir": str(agents)}})

    assert set(default.get_graph().nodes) == {"__start__", "__end__", "supervisor", ELIXIR}
    assert set(chosen.get_graph().nodes) >= {"supervisor", "sql-pro", "kubernetes-specialist"}
    assert ELIXIR not in chosen.get_graph().nodes
    assert graph_for({"configurable": {"agents_dir": str(agents)}}) is chosen  # cached

    (agents / "sql-pro.md").write_text((SHARED_AGENTS / "golang-pro.md").read_text())
    rebuilt = graph_for({"configurable": {"agents_dir": str(agents)}})
    assert "golang-pro" in rebuilt.get_graph().nodes and "sql-pro" not in rebuilt.get_graph().nodes


def test_factory_names_a_directory_without_agents(tmp_path):
    with pytest.raises(ValueError, match=f"agents directory {tmp_path / 'none'}: no agent files"):
        graph_for({"configurable": {"agents_dir": str(tmp_path / "none")}})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ok(url: str, server: subprocess.Popen, log: Path) -> None:
    import httpx

    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"langgraph dev exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"langgraph dev did not answer /ok in {SERVER_START_TIMEOUT_S}s")


@pytest.fixture
def studio_server(tmp_path):
    """``langgraph dev`` on a free port, run from a scratch directory (its state and log stay
    out of the repository), stopped through its process group."""
    port = _free_port()
    log = tmp_path / "langgraph-dev.log"
    command = [
        str(LANGGRAPH_CLI),
        "dev",
        "--no-browser",
        "--no-reload",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--config",
        str(REPO_ROOT / "langgraph.json"),
    ]
    with log.open("w") as sink:
        server = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=clean_env(LANGGRAPH_CLI_NO_ANALYTICS="1", LANGSMITH_TRACING="false"),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_ok(url, server, log)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.mark.slow
def test_langgraph_dev_serves_the_graph_offline_with_thread_history(studio_server):
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=studio_server)
    thread = client.threads.create()["thread_id"]
    context = {"offline": True, "project": str(EXAMPLE_PROJECT)}

    question = "Which Oban workers does this Phoenix app have, and on which queues?"
    first = client.runs.wait(
        thread,
        "mixcrew",
        input={"messages": [{"role": "user", "content": question}]},
        context=context,
    )
    assert first["route"]["router"] == "lexical" and first["route"]["agents"] == [ELIXIR]
    answer = first["messages"][-1]
    assert answer["name"] == ELIXIR
    assert "without a language model" in answer["content"]
    assert "### oban_jobs" in answer["content"]
    assert "Kanban.Workers.DueDateReminder" in answer["content"]

    parts = list(
        client.runs.stream(
            thread,
            "mixcrew",
            input={"messages": [{"role": "user", "content": "and what about those?"}]},
            context=context,
            stream_mode=["updates", "custom"],
            stream_subgraphs=True,
        )
    )
    tool_calls = [p.data for p in parts if p.event == "custom" and p.data["kind"] == "tool_call"]
    assert tool_calls and {call["agent"] for call in tool_calls} == {ELIXIR}

    state = client.threads.get_state(thread)["values"]
    assert state["route"]["router"] == "follow-up" and state["route"]["agents"] == [ELIXIR]
    assert [(m["type"], m.get("name")) for m in state["messages"]] == [
        ("human", None),
        ("ai", ELIXIR),
        ("human", None),
        ("ai", ELIXIR),
    ]
    assert state["messages"][0]["content"] == question

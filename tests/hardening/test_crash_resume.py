"""Crash and resume through the real CLI: SIGKILL mid-handoff, Ctrl-C, and rerunning the thread.

The fault server holds the specialist's model call after its first tool calls, so the test can
kill the process at a known point; the rerun with the same question and ``--thread`` must go on
from the last checkpoint (no routing again, no finished tool call again) and end in the same
state as a run that was never interrupted.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, ToolMessage

from graph.builder import build_graph
from graph.checkpoints import open_checkpointer
from graph.context import EXAMPLE_PROJECT, REPO_ROOT
from graph.registry import default_agent_dirs, load_agents
from tests.cli import clean_env, run_cli
from tests.hardening.fault_server import FaultServer, Reply, routing, text, tool_call
from tests.scripted_model import ScriptedModels

ELIXIR = "backend-elixir-phoenix"
QUESTION = "Which routes and Oban workers does the kanban app have?"


def _script_until_hold() -> list[Reply]:
    return [
        routing((ELIXIR, "List the routes and the Oban workers.")),
        tool_call("phoenix_routes"),
        tool_call("read_file", {"path": "mix.exs", "end_line": 5}),
    ]


FINAL = "Routes are in lib/kanban_web/router.ex; workers in lib/kanban/workers/."


@pytest.fixture
def env() -> dict:
    return clean_env(MIXCREW_TIMEOUT="20", MIXCREW_MAX_RETRIES="0", PYTHONUNBUFFERED="1")


def _start(server: FaultServer, checkpoint: Path, thread: str, env: dict) -> subprocess.Popen:
    args = [QUESTION, "--project", str(EXAMPLE_PROJECT), "--base-url", server.base_url]
    args += ["--checkpoint", str(checkpoint), "--thread", thread]
    return subprocess.Popen(
        [sys.executable, "-m", "graph.run", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=90)
    return process.returncode, out, err


def _saved_state(checkpoint: Path, thread: str) -> dict:
    agents = load_agents(default_agent_dirs()).agents
    with open_checkpointer(str(checkpoint)) as saver:
        graph = build_graph(agents, models=ScriptedModels.of(), checkpointer=saver)
        state = graph.get_state({"configurable": {"thread_id": thread}})
    return {"next": state.next, **state.values}


def _comparable(state: dict) -> dict:
    """What must match between runs: messages by kind and text, results, route."""
    messages = [(type(m).__name__, m.name, m.content) for m in state["messages"]]
    results = [{k: v for k, v in r.items() if k != "model_calls"} for r in state["results"]]
    return {"messages": messages, "results": results, "route": state["route"]}


def _held_run(server: FaultServer, checkpoint: Path, thread: str, env: dict):
    process = _start(server, checkpoint, thread, env)
    assert server.holding.wait(60), "the run never reached the held model call"
    return process


def _killed_run(server: FaultServer, checkpoint: Path, thread: str, env: dict) -> None:
    """A run SIGKILLed while the specialist waits for its model: a crash mid-handoff."""
    process = _held_run(server, checkpoint, thread, env)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert process.returncode == -signal.SIGKILL


def test_sigkill_mid_handoff_then_rerun_resumes_without_redoing_work(tmp_path, env):
    checkpoint = tmp_path / "threads.sqlite"
    with FaultServer([*_script_until_hold(), text("held", hold=True)]) as server:
        _killed_run(server, checkpoint, "crash", env)
        before = len(server.requests)
        assert before == 4  # routing, two tool-calling steps, the held step

        interrupted = _saved_state(checkpoint, "crash")
        assert interrupted["next"] == (ELIXIR,)

        server.add(text(FINAL))
        code, out, err = _finish(_start(server, checkpoint, "crash", env))
        resumed_requests = server.requests[before:]

    assert code == 0, err
    assert FINAL in out
    # One model call after the restart: the step that was in flight. Routing and the two
    # finished tool-calling steps were not asked again; their tool results came from the
    # checkpoint and are in that call's messages.
    assert len(resumed_requests) == 1
    tool_results = [m for m in resumed_requests[0]["messages"] if m["role"] == "tool"]
    assert len(tool_results) == 2
    assert "/boards" in tool_results[0]["content"]

    with FaultServer([*_script_until_hold(), text(FINAL)]) as server:
        code, _, err = _finish(_start(server, tmp_path / "clean.sqlite", "clean", env))
    assert code == 0, err
    resumed = _saved_state(checkpoint, "crash")
    clean = _saved_state(tmp_path / "clean.sqlite", "clean")
    assert resumed["next"] == () and clean["next"] == ()
    assert _comparable(resumed) == _comparable(clean)
    assert [c["name"] for c in resumed["results"][0]["tool_calls"]] == [
        "phoenix_routes",
        "read_file",
    ]


def test_ctrl_c_stops_cleanly_saves_the_thread_and_says_how_to_resume(tmp_path, env):
    checkpoint = tmp_path / "threads.sqlite"
    with FaultServer([*_script_until_hold(), text("held", hold=True)]) as server:
        process = _held_run(server, checkpoint, "ctrl-c", env)
        process.send_signal(signal.SIGINT)
        code, out, err = _finish(process)

        assert code == 130
        assert "Traceback" not in err
        last = err.strip().splitlines()[-1]
        assert last.startswith("mixcrew: interrupted; the thread is saved")
        assert "--thread ctrl-c" in last
        assert _saved_state(checkpoint, "ctrl-c")["next"] == (ELIXIR,)

        server.add(text(FINAL))
        code, out, err = _finish(_start(server, checkpoint, "ctrl-c", env))
    assert code == 0, err
    assert FINAL in out
    state = _saved_state(checkpoint, "ctrl-c")
    assert state["next"] == ()
    assert isinstance(state["messages"][-1], AIMessage) and state["messages"][-1].content == FINAL
    tool_messages = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert tool_messages == []  # the specialist's tool traffic stays inside its own loop


def test_another_question_on_an_interrupted_thread_is_a_clear_usage_error(tmp_path, env):
    checkpoint = tmp_path / "threads.sqlite"
    with FaultServer([*_script_until_hold(), text("held", hold=True)]) as server:
        _killed_run(server, checkpoint, "busy", env)

        args = ["what else?", "--base-url", server.base_url, "--checkpoint", str(checkpoint)]
        done = run_cli(*args, "--thread", "busy", env=env, timeout=90)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("mixcrew: thread busy stopped in the middle of 'Which routes")
    assert "ask that question again" in lines[-1]

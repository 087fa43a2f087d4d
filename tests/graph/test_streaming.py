"""A turn's events as they happen: routing, handoffs, tool calls, answer tokens, each tagged."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from graph.context import EXAMPLE_PROJECT, REPO_ROOT, RunContext
from graph.progress import JsonEvents, PlainProgress
from graph.registry import load_agents
from graph.session import Session
from tests.cli import clean_env, read_terminal, run_cli
from tests.scripted_model import ScriptedChatModel, ScriptedModels, call, route, say

ELIXIR = "backend-elixir-phoenix"
SQL = "sql-pro"
SHARED_AGENTS = REPO_ROOT / "tests" / "fixtures" / "routing" / "agents"


class StreamingChatModel(ScriptedChatModel):
    """The scripted model, but it streams its reply word by word, as a real endpoint does."""

    def _stream(self, messages, stop=None, run_manager=None, **kwargs: Any):
        reply = self._generate(messages, stop, run_manager, **kwargs).generations[0].message
        pieces = re.findall(r"\S+\s*", str(reply.content))
        for piece in pieces:
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
        tool_chunks = [
            {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i}
            for i, c in enumerate(reply.tool_calls)
        ]
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                tool_call_chunks=tool_chunks,
                usage_metadata=reply.usage_metadata,
                response_metadata=reply.response_metadata,
                chunk_position="last",
            )
        )


class StreamingModels(ScriptedModels):
    def __call__(self, model_id: str, ctx: Any) -> StreamingChatModel:
        return StreamingChatModel(script=self.script, model_id=model_id)


@pytest.fixture(scope="module")
def agents(tmp_path_factory) -> dict:
    directory = tmp_path_factory.mktemp("agents")
    shutil.copy(REPO_ROOT / "agents" / f"{ELIXIR}.md", directory)
    shutil.copy(SHARED_AGENTS / f"{SQL}.md", directory)
    return load_agents([directory]).agents


def run_turn(agents, models, question: str, tmp_path, *, offline: bool = False):
    ctx = RunContext(project=str(EXAMPLE_PROJECT), offline=offline)
    events = []
    with Session.open(
        agents, ctx, checkpoint=str(tmp_path / "threads.sqlite"), models=models
    ) as session:
        turn = session.ask(question, on_event=events.append)
    return events, turn


def kinds(events) -> list[str]:
    return [e.kind for e in events]


def replay(events, turn, output: PlainProgress | JsonEvents) -> None:
    """Feed a finished turn's events to an output, as the CLI does while the turn runs."""
    for event in events:
        output(event)
    output.finish(turn)


def test_tokens_stream_as_the_model_writes_them(agents, tmp_path):
    answer = "BoardLive.Show subscribes to board topics (lib/kanban_web/live/board_live/show.ex)."
    models = StreamingModels.of(
        route((ELIXIR, "Find the PubSub subscriptions.")),
        call("pubsub_and_channels"),
        say(answer),
    )
    events, turn = run_turn(agents, models, "Which LiveViews subscribe to PubSub?", tmp_path)

    assert kinds(events)[:2] == ["route", "handoff"]
    tokens = [e for e in events if e.kind == "token"]
    assert len(tokens) == len(answer.split())  # one event per streamed piece, not one at the end
    assert {e.agent for e in tokens} == {ELIXIR}
    assert "".join(e.data["text"] for e in tokens) == answer == turn.answer
    # Every token arrives before the agent reports it is done, and the answer comes last.
    assert kinds(events).index("agent_done") > max(
        i for i, e in enumerate(events) if e.kind == "token"
    )
    assert events[-1].kind == "answer" and events[-1].agent == ELIXIR
    assert events[-1].data["text"] == answer


def test_route_handoff_and_tool_calls_are_tagged_with_their_agent(agents, tmp_path):
    models = ScriptedModels.of(
        route((ELIXIR, "List the Oban workers.")),
        call("oban_jobs", queue="mailers"),
        say("One mailer worker."),
    )
    events, turn = run_turn(agents, models, "What runs on the mailers queue?", tmp_path)

    by_kind = {e.kind: e for e in events}
    assert by_kind["route"].agent == "supervisor"
    assert by_kind["route"].data == {"router": "model", "agents": [ELIXIR], "reason": "scripted"}
    assert by_kind["handoff"].agent == "supervisor"
    assert by_kind["handoff"].data == {"to": ELIXIR, "task": "List the Oban workers."}
    # The task names Oban, so the agent reads oban_jobs before its model's first call
    # (graph/prefetch.py); then the model makes its own call. Both are shown, as the agent's.
    tool_calls = [(e.agent, e.data) for e in events if e.kind == "tool_call"]
    assert tool_calls == [
        (ELIXIR, {"name": "oban_jobs", "args": {}}),
        (ELIXIR, {"name": "oban_jobs", "args": {"queue": "mailers"}}),
    ]
    results = [e for e in events if e.kind == "tool_result"]
    assert [(e.agent, e.data["name"]) for e in results] == [(ELIXIR, "oban_jobs")] * 2
    summaries = [call["summary"] for call in turn.results[0]["tool_calls"]]
    assert [e.data["summary"] for e in results] == summaries
    assert "oban" in summaries[0]
    done = by_kind["agent_done"]
    assert done.agent == ELIXIR
    assert done.data == {
        "tool_calls": 2,
        "model_calls": 2,
        "offline": False,
        "budget_exhausted": False,
    }


def test_offline_briefing_streams_its_tool_calls(agents, tmp_path):
    events, turn = run_turn(
        agents,
        ScriptedModels.of(),  # any model call would fail the test
        f"@{ELIXIR} Which LiveViews subscribe to PubSub topics?",
        tmp_path,
        offline=True,
    )

    calls = [e for e in events if e.kind == "tool_call"]
    results = [e for e in events if e.kind == "tool_result"]
    assert [e.data["name"] for e in calls] == [c["name"] for c in turn.results[0]["tool_calls"]]
    assert {e.agent for e in calls + results} == {ELIXIR}
    assert [e.data["summary"] for e in results] == [
        c["summary"] for c in turn.results[0]["tool_calls"]
    ]
    assert "liveviews" in [e.data["name"] for e in calls]
    assert "token" not in kinds(events)  # no model, no tokens
    assert events[-1].kind == "answer" and "without a language model" in events[-1].data["text"]


def test_two_agents_stream_separately_and_the_lead_is_the_supervisors(agents, tmp_path):
    def answer_by_agent(messages):
        return say("sql part." if "SQL" in messages[0].content else "elixir part.")

    models = StreamingModels.of(
        route((ELIXIR, "The Ecto side."), (SQL, "The SQL side.")),
        answer_by_agent,
        answer_by_agent,
        say("Both sides: elixir and sql."),
    )
    events, turn = run_turn(agents, models, "Slow Ecto query: schema and SQL?", tmp_path)

    text_by_agent: dict[str, str] = {}
    for event in events:
        if event.kind == "token":
            text_by_agent[event.agent] = text_by_agent.get(event.agent, "") + event.data["text"]
    assert text_by_agent == {
        ELIXIR: "elixir part.",
        SQL: "sql part.",
        "supervisor": "Both sides: elixir and sql.",
    }
    assert sorted(e.data["to"] for e in events if e.kind == "handoff") == sorted([ELIXIR, SQL])
    assert events[-1].agent == "supervisor"
    assert (
        turn.answer
        == f"Both sides: elixir and sql.\n\n## {ELIXIR}\nelixir part.\n\n## {SQL}\nsql part."
    )
    # On stdout: the lead as it streamed, then the answers it leads, once.
    err, out = io.StringIO(), io.StringIO()
    replay(events, turn, PlainProgress(err, out))
    assert out.getvalue() == turn.answer + "\n"


def test_plain_progress_streams_the_answer_to_stdout_once(agents, tmp_path):
    answer = "There are 3 LiveViews."
    # The task names LiveViews: the agent reads ``liveviews`` before its model's first call.
    models = StreamingModels.of(route((ELIXIR, "Count LiveViews.")), say(answer))
    err, out = io.StringIO(), io.StringIO()
    replay(*run_turn(agents, models, "How many LiveViews?", tmp_path), PlainProgress(err, out))

    assert out.getvalue() == answer + "\n"
    lines = err.getvalue().splitlines()
    assert lines[0] == f"supervisor -> {ELIXIR} [model: scripted]"
    assert lines[1] == f"supervisor => {ELIXIR}: Count LiveViews."
    assert lines[2] == f"{ELIXIR}: liveviews()"
    assert lines[3].startswith(f"{ELIXIR}:   -> ")
    assert re.fullmatch(rf"{ELIXIR}: done in \d+\.\ds \(1 tool calls, 1 model calls\)", lines[4])


def test_a_note_after_a_streamed_answer_is_written_once_after_it(agents, tmp_path):
    answer = "There are 3 LiveViews."
    models = StreamingModels.of(route((ELIXIR, "Count LiveViews.")), say(answer))
    err, out = io.StringIO(), io.StringIO()
    events, turn = run_turn(agents, models, "@frontend-react how many LiveViews?", tmp_path)
    replay(events, turn, PlainProgress(err, out))

    assert turn.answer.startswith(answer + "\n\nNote: no agent is named @frontend-react")
    assert out.getvalue() == turn.answer.rstrip() + "\n"  # the answer once, then its note


def test_plain_progress_prints_an_unstreamed_answer_at_the_end(agents, tmp_path):
    err, out = io.StringIO(), io.StringIO()
    events, turn = run_turn(
        agents, ScriptedModels.of(), f"@{ELIXIR} list the routes", tmp_path, offline=True
    )
    replay(events, turn, PlainProgress(err, out))

    assert out.getvalue() == turn.answer.rstrip() + "\n"
    assert f"{ELIXIR}: phoenix_routes()" in err.getvalue()


def test_json_events_are_one_object_per_line_then_the_turn(agents, tmp_path):
    out = io.StringIO()
    events, turn = run_turn(
        agents, ScriptedModels.of(), f"@{ELIXIR} list the routes", tmp_path, offline=True
    )
    replay(events, turn, JsonEvents(out))

    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["kind"] for r in rows[:-1]] == kinds(events)
    assert all(r["agent"] for r in rows[:-1])
    assert rows[-1]["kind"] == "turn" and rows[-1]["answer"] == turn.answer


def test_cli_events_flag_prints_json_lines():
    done = run_cli(f"@{ELIXIR} which Oban workers?", "--events")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["kind"] for r in rows[:2]] == ["route", "handoff"]
    assert {"name": "oban_jobs", "args": {}} in [
        {"name": r["name"], "args": r["args"]} for r in rows if r["kind"] == "tool_call"
    ]
    assert [r["kind"] for r in rows[-2:]] == ["answer", "turn"]
    assert rows[-1]["offline"] is True


def test_cli_live_progress_on_a_terminal():
    """stderr on a pseudo-terminal: spinners and progress lines there, the answer on stdout."""
    done, terminal = _run_on_terminal(f"@{ELIXIR} what routes are there?", stdout_too=False)
    assert done.returncode == 0, terminal
    answer = done.stdout.decode()
    assert answer.startswith(f"Offline briefing from {ELIXIR}")
    assert "\x1b[" not in answer  # the animation stays on the terminal
    assert f"{ELIXIR}: phoenix_routes()" in terminal
    assert f"{ELIXIR}: done in" in terminal
    assert "\x1b[?25l" in terminal  # rich hid the cursor to animate the spinners


def test_cli_live_progress_leaves_the_answer_whole_on_a_shared_terminal():
    """stdout and stderr on one terminal: the spinners are gone before the answer is printed."""
    done, terminal = _run_on_terminal(f"@{ELIXIR} which Oban workers?", stdout_too=True)
    assert done.returncode == 0, terminal
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal).replace("\r", "\n")
    answer_lines = [line for line in plain.splitlines() if "Offline briefing from" in line]
    assert answer_lines and all(line.startswith("Offline briefing from") for line in answer_lines)


def _run_on_terminal(question: str, *, stdout_too: bool) -> tuple[subprocess.CompletedProcess, str]:
    """The CLI with stderr (and stdout too, if asked) on a pseudo-terminal; what it showed."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "graph.run", question],
            stdout=follower if stdout_too else subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            env=clean_env(COLUMNS="200", TERM="xterm"),
            cwd=REPO_ROOT,
            timeout=120,
        )
        os.close(follower)
        terminal = read_terminal(leader).decode(errors="replace")
    finally:
        os.close(leader)
    return done, terminal

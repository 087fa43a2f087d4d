"""``python -m graph.run`` through a real subprocess: exit codes, output shapes, offline runs."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys

import pytest

from graph.context import EXAMPLE_PROJECT, REPO_ROOT
from tests.cli import clean_env, read_terminal, run_cli

ELIXIR = "backend-elixir-phoenix"


def test_help():
    done = run_cli("--help")
    assert done.returncode == 0
    assert "--project" in done.stdout and "--offline" in done.stdout
    assert "$MIXCREW_MODEL, else gpt-4o-mini" in done.stdout


def test_list_agents_plain_and_json():
    plain = run_cli("--list-agents")
    assert plain.returncode == 0
    assert plain.stdout.startswith(f"{ELIXIR}\tall\tinherit\t")

    as_json = json.loads(run_cli("--list-agents", "--json").stdout)
    assert as_json[0]["name"] == ELIXIR
    assert as_json[0]["examples"] == 3


def test_offline_question_as_json():
    done = run_cli(
        "Which Oban workers does this Phoenix app have, and on which queues?",
        "--project",
        str(EXAMPLE_PROJECT),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= {"answer", "route", "handoffs", "tool_calls", "token_usage", "thread_id"}
    assert result["offline"] is True
    assert result["route"]["router"] == "lexical" and result["route"]["agents"] == [ELIXIR]
    assert result["handoffs"][0]["agent"] == ELIXIR
    assert "oban_jobs" in [call["name"] for call in result["tool_calls"]]
    assert "without a language model" in result["answer"]
    assert result["token_usage"] == {}


def test_thread_continues_across_processes():
    first = run_cli("What routes does the router define?", "--thread", "th-1")
    assert first.returncode == 0, first.stderr
    second = run_cli("@backend-elixir-phoenix and the LiveViews?", "--thread", "th-1", "--json")
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["thread_id"] == "th-1"
    assert "continue with --thread th-1" in first.stderr
    new_thread = "mixcrew: no saved conversation on thread th-1; starting it"
    assert new_thread in first.stderr  # a mistyped id does not start afresh silently
    assert "no saved conversation" not in second.stderr


def test_route_only():
    done = run_cli("@backend-elixir-phoenix what is in mix.exs?", "--route-only")
    assert done.returncode == 0
    assert done.stdout.startswith(f"{ELIXIR}  [mention]")


def test_missing_project_is_a_usage_error(tmp_path):
    done = run_cli("hello", "--project", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"mixcrew: --project {tmp_path / 'nope'}: no such file or directory"
    ]


def test_missing_project_from_the_environment_names_the_variable(tmp_path):
    done = run_cli("hello", env=clean_env(MIXCREW_PROJECT=str(tmp_path / "gone")))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"mixcrew: MIXCREW_PROJECT {tmp_path / 'gone'}: no such file or directory"
    ]


def test_directory_without_mix_exs_is_a_usage_error(tmp_path):
    done = run_cli("hello", "--project", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"mixcrew: --project {tmp_path}: no mix.exs found in {tmp_path} or any parent directory"
    ]


def test_bad_agent_file_skipped_or_strict(tmp_path):
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "good.md").write_text(
        "---\nname: good\ndescription: Does good things.\n---\nBe good.\n"
    )
    (agents / "broken.md").write_text("no frontmatter here\n")

    listed = run_cli("--list-agents", "--agents", str(agents))
    assert listed.returncode == 0
    assert listed.stdout.startswith("good\t")
    assert "broken.md" in listed.stderr

    strict = run_cli("--list-agents", "--agents", str(agents), "--strict")
    assert strict.returncode == 2
    assert "broken.md" in strict.stderr


def test_agents_path_that_is_no_directory_is_one_line_usage_error(tmp_path):
    agent_file = tmp_path / "good.md"
    agent_file.write_text("---\nname: good\ndescription: Does good things.\n---\nBe good.\n")
    for path, problem in (
        (agent_file, "a file; give the directory that holds it"),
        (tmp_path / "nope", "no such directory"),
    ):
        done = run_cli("hello", "--agents", str(path))
        assert done.returncode == 2
        assert done.stderr.splitlines() == [f"mixcrew: --agents {path}: {problem}"]


def test_no_question_without_terminal_is_a_usage_error():
    for piped in (None, "  \n"):
        done = run_cli(stdin=piped)
        assert done.returncode == 2
        assert done.stderr.splitlines() == [
            "mixcrew: no question given (pass one, pipe one on stdin, or run on a terminal to chat)"
        ]


def test_a_question_piped_on_stdin_is_asked():
    trace = (
        "why does this crash?\n"
        "** (Ecto.NoResultsError) expected at least one result but got none\n"
        "    (kanban 0.4.0) lib/kanban/boards.ex:151: Kanban.Boards.move_card/4\n"
    )
    for args in ((), ("-",)):
        done = run_cli(*args, "--project", str(EXAMPLE_PROJECT), "--offline", stdin=trace)
        assert done.returncode == 0, done.stderr
        assert "### find_function(reference='Kanban.Boards.move_card')" in done.stdout
        assert "def move_card(" in done.stdout


def test_bad_flag_value_is_a_usage_error():
    done = run_cli("hi", "--max-handoffs", "0")
    assert done.returncode == 2
    assert "--max-handoffs 0: must be at least 1" in done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_postgres_thread_store_is_one_line_without_the_password():
    url = f"postgresql://someone:s3cret-pw@127.0.0.1:{_free_port()}/threads"
    done = run_cli("hello", "--checkpoint", url)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mixcrew: thread store postgresql://someone:***@127.0.0.1:")
    assert "s3cret-pw" not in done.stderr


def test_unwritable_sqlite_thread_store_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = run_cli("hello", "--checkpoint", str(blocker / "threads.sqlite"))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"mixcrew: thread store {blocker / 'threads.sqlite'}: [Errno ")


def test_directory_as_sqlite_thread_store_is_one_line_saying_so(tmp_path):
    done = run_cli("hello", "--checkpoint", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"mixcrew: thread store {tmp_path}: a directory; give a file, "
        f"e.g. {tmp_path / 'threads.sqlite'}"
    ]


def test_route_only_with_an_unreachable_model_is_one_line():
    base_url = f"http://127.0.0.1:{_free_port()}/v1"
    env = clean_env(OPENAI_API_KEY="test-key", MIXCREW_MAX_RETRIES="0")
    done = run_cli("how do I paginate with Ecto?", "--route-only", "--base-url", base_url, env=env)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"mixcrew: model 'gpt-4o-mini' at {base_url} failed: the connection failed "
        "([Errno 111] Connection refused)"
    ]


def test_empty_question_is_a_usage_error_and_saves_no_thread():
    for blank in ("", "   "):
        done = run_cli(blank)
        assert done.returncode == 2
        assert done.stderr.strip().splitlines() == [
            "mixcrew: the question is empty (ask something, or omit it on a terminal to chat)"
        ]
        assert done.stdout == ""
    assert run_cli("--threads").stderr.strip() == "mixcrew: no saved threads"


def test_argument_errors_are_one_line():
    unknown = run_cli("hi", "--frobnicate")
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines() == [
        "mixcrew: unrecognized arguments: --frobnicate (see --help)"
    ]
    not_a_number = run_cli("hi", "--step-budget", "abc")
    assert not_a_number.returncode == 2
    assert not_a_number.stderr.splitlines() == [
        "mixcrew: argument --step-budget: invalid int value: 'abc' (see --help)"
    ]


@pytest.mark.parametrize(
    ("leave", "exit_code", "last_line"),
    [("ctrl-d", 0, ""), ("ctrl-c", 130, "mixcrew: interrupted")],
)
def test_leaving_chat_at_the_prompt_ends_the_prompt_line(leave, exit_code, last_line):
    leader, follower = pty.openpty()
    chat = subprocess.Popen(
        [sys.executable, "-m", "graph.run"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=clean_env(TERM="dumb"),
        cwd=REPO_ROOT,
    )
    os.close(follower)
    try:
        shown = read_terminal(leader, b"you> ")
        if leave == "ctrl-d":
            os.write(leader, b"\x04")
        else:
            _interrupt(chat)
        assert chat.wait(timeout=60) == exit_code
        shown += read_terminal(leader)
    finally:
        chat.kill()
        os.close(leader)
    after_prompt = shown.decode().rsplit("you> ", 1)[1]
    assert after_prompt.startswith("\r\n")  # the shell or the message starts a fresh line
    assert after_prompt.strip() == last_line


def _interrupt(process: subprocess.Popen, attempts: int = 10) -> None:
    """SIGINT until the process ends: one that lands between the prompt being shown and
    CPython's readline entering select() is only acted on at the next signal (as a person
    pressing Ctrl-C twice would see)."""
    for _ in range(attempts):
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def test_an_unknown_mention_is_said_in_json_output():
    done = run_cli(
        "@frontend-react what does the board page look like?",
        "--agents",
        str(REPO_ROOT / "tests" / "fixtures" / "routing" / "agents"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    said = "no agent is named @frontend-react (did you mean @frontend-developer?)"
    assert result["route"]["reason"].startswith(f"{said}; ")
    assert result["answer"].endswith(
        f"Note: {said}; the rest of the request was routed without it."
    )


def test_indexing_progress_is_shown_only_while_files_are_parsed(tmp_path, monkeypatch):
    import io

    from graph.run import indexing_progress
    from tools.mix.index import ProjectIndex

    monkeypatch.setenv("MIXCREW_CACHE_DIR", str(tmp_path))  # a cold index, then a warm one
    cold, warm = io.StringIO(), io.StringIO()
    index = ProjectIndex.open(EXAMPLE_PROJECT, on_progress=indexing_progress(cold), fresh=True)
    ProjectIndex.open(EXAMPLE_PROJECT, on_progress=indexing_progress(warm), fresh=True)

    files = len(index.files)
    assert files >= 50
    assert cold.getvalue().startswith("\rmixcrew: indexing 0/")
    assert cold.getvalue().endswith(f"\rmixcrew: indexing {files}/{files} files\n")
    assert warm.getvalue() == ""  # revalidated from the cache: nothing parsed, nothing said


def test_indexing_progress_counts_only_the_files_to_parse():
    import io

    from graph.run import indexing_progress

    few_changed, many_changed = io.StringIO(), io.StringIO()
    few = indexing_progress(few_changed)
    for done in range(990, 1001):
        few(done, 1000)
    many = indexing_progress(many_changed)
    for done in range(900, 1001):
        many(done, 1000)

    assert few_changed.getvalue() == ""  # ten files parse in a blink
    assert many_changed.getvalue().endswith("\rmixcrew: indexing 1000/1000 files\n")

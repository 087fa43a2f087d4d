"""``python -m graph.run``: ask the crew about a mix project.

    python -m graph.run "Which LiveViews use PubSub?" --project path/to/app
    python -m graph.run --list-agents
    python -m graph.run "and their tests?" --thread 3f2a...      # continue a conversation
    python -m graph.run --threads                                 # saved conversations

Progress goes to stderr, the answer to stdout. Exit codes: 0 done, 1 runtime failure,
2 bad usage or input, 130 interrupted (Ctrl-C). A run that was killed or interrupted continues
from its last saved step when the same question is asked again with its ``--thread``.
Heavy imports happen after the arguments are read, so ``--help`` is fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TextIO

from graph.context import DEFAULT_MAX_HANDOFFS, DEFAULT_MODEL, DEFAULT_STEP_BUDGET

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad usage or input: one line, exit code 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line like mixcrew's others, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"mixcrew: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m graph.run",
        description="Ask mixcrew's agents about an Elixir/Phoenix (mix) project.",
    )
    parser.add_argument(
        "question",
        nargs="?",
        help="the request; '-' or omitted with a pipe: read from stdin "
        "(a pasted trace or log); omitted on a terminal: chat",
    )
    parser.add_argument(
        "--project",
        default=None,
        help="path inside the mix project "
        "(default: $MIXCREW_PROJECT, else the bundled example project)",
    )
    parser.add_argument(
        "--agents",
        action="append",
        type=Path,
        metavar="DIR",
        help="agents directory (repeatable; later wins on a duplicate name; "
        "default: $MIXCREW_AGENTS, else the repo's agents/)",
    )
    parser.add_argument("--strict", action="store_true", help="a bad agent file is an error")
    parser.add_argument(
        "--model", default=None, help=f"model id (default: $MIXCREW_MODEL, else {DEFAULT_MODEL})"
    )
    parser.add_argument(
        "--base-url", default=None, help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="no language model: route lexically, brief from the tools",
    )
    parser.add_argument(
        "--thread", default=None, help="continue this conversation (a new id starts one)"
    )
    parser.add_argument(
        "--checkpoint",
        default=None,
        metavar="PATH_OR_URL",
        help="SQLite file or postgresql:// URL for threads "
        "(default: $MIXCREW_CHECKPOINT, else the user state directory)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--events",
        action="store_true",
        help="print each event (route, handoff, tool call, token, answer) as a JSON line",
    )
    parser.add_argument("--threads", action="store_true", help="list saved conversations and exit")
    parser.add_argument("--list-agents", action="store_true", help="list the agents and exit")
    parser.add_argument(
        "--route-only", action="store_true", help="print the routing decision and stop"
    )
    parser.add_argument(
        "--max-handoffs",
        type=int,
        default=None,
        help=f"handoffs per turn (default: {DEFAULT_MAX_HANDOFFS})",
    )
    parser.add_argument(
        "--step-budget",
        type=int,
        default=None,
        help=f"model calls per handoff (default: {DEFAULT_STEP_BUDGET})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except UsageError as error:
        _say(f"mixcrew: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("mixcrew: interrupted")
        return EXIT_INTERRUPTED
    except Exception as error:
        return _runtime_failure(error)


def _runtime_failure(error: Exception) -> int:
    """One line for a failure of the model endpoint, the thread store or anything else; the
    traceback only on request (MIXCREW_DEBUG=1), for a bug report."""
    from graph.checkpoints import CheckpointError
    from graph.messages import first_line
    from graph.models import ModelFailure

    if os.environ.get("MIXCREW_DEBUG"):
        raise error
    if isinstance(error, ModelFailure | CheckpointError):
        _say(f"mixcrew: {error}")
    else:
        detail = first_line(str(error), 160)
        _say(f"mixcrew: unexpected {type(error).__name__}: {detail} (MIXCREW_DEBUG=1 shows more)")
    return EXIT_FAILURE


def _run(args: argparse.Namespace) -> int:
    if args.json and args.events:
        raise UsageError("--json and --events: choose one output format")
    if _question_on_stdin(args):
        args.question = _read_stdin_question()
    if args.question is not None and not args.question.strip():
        raise UsageError("the question is empty (ask something, or omit it on a terminal to chat)")
    if args.threads:
        return _list_threads(args)
    agents = _load_agents(args)
    if args.list_agents:
        from graph.display import print_agents

        print_agents(agents.values(), as_json=args.json)
        return EXIT_OK
    if not agents:
        raise UsageError("no agents loaded; check --agents or $MIXCREW_AGENTS")
    ctx = _context(args)
    if args.route_only:
        return _route_only(args, agents, ctx)
    from graph.session import Session

    models = _models()
    _index_project(ctx.project_root)
    with Session.open(
        agents, ctx, checkpoint=args.checkpoint, thread=args.thread, models=models
    ) as session:
        if args.thread is not None and not session.has_history():
            _say(
                f"mixcrew: no saved conversation on thread {args.thread}; starting it "
                "(--threads lists the saved ones)"
            )
        if args.question is not None:
            return _ask_once(session, args.question, as_json=args.json, events=args.events)
        return _chat(session)


def _question_on_stdin(args: argparse.Namespace) -> bool:
    """Whether the question comes from stdin: asked for with '-', or piped in with no question
    (``pbpaste | python -m graph.run``). A question given as an argument never reads stdin,
    which may be a pipe nobody closes."""
    if args.question == "-":
        return True
    return args.question is None and not (args.threads or args.list_agents or sys.stdin.isatty())


def _read_stdin_question() -> str:
    question = sys.stdin.read()
    if not question.strip():
        raise UsageError(
            "no question given (pass one, pipe one on stdin, or run on a terminal to chat)"
        )
    return question


def _index_project(root: Path) -> None:
    """Index the project before the graph starts its threads, so a cold index can use both
    cores; on a terminal, show files done of total while files are parsed."""
    from graph.toolbox import project_toolset

    on_progress = indexing_progress(sys.stderr) if sys.stderr.isatty() else None
    project_toolset(root, on_progress=on_progress)


INDEXING_SHOWN_FROM_FILES = 50  # fewer files to parse take a blink: no line for them


def indexing_progress(err: TextIO) -> Callable[[int, int], None]:
    """A progress callback writing ``indexing done/total files`` on one line of ``err``.

    The index first reports the files it reuses from its cache, then each file it parses: a
    first report of every file means nothing is parsed (the project is unchanged), so nothing
    is shown.
    """
    reused: int | None = None

    def progress(done: int, total: int) -> None:
        nonlocal reused
        if reused is None:
            reused = done
        if total - reused >= INDEXING_SHOWN_FROM_FILES:
            end = "\n" if done == total else ""
            print(f"\rmixcrew: indexing {done}/{total} files", end=end, file=err, flush=True)

    return progress


def _load_agents(args: argparse.Namespace) -> dict:
    from graph.registry import default_agent_dirs, load_agents

    for directory in args.agents or []:
        _check_agents_dir(directory)
    report = load_agents(args.agents or default_agent_dirs())
    for line in report.warnings:
        _say(f"mixcrew: warning: {line}")
    for line in report.problems:
        _say(f"mixcrew: {'error' if args.strict else 'skipped'}: {line}")
    if args.strict and report.problems:
        raise UsageError(f"{len(report.problems)} bad agent file(s) (--strict)")
    return report.agents


def _check_agents_dir(directory: Path) -> None:
    """An --agents path the user typed must be a directory: a typo is an error, not a skip."""
    if directory.is_file():
        raise UsageError(f"--agents {directory}: a file; give the directory that holds it")
    if not directory.is_dir():
        raise UsageError(f"--agents {directory}: no such directory")


def _context(args: argparse.Namespace):
    from graph.context import RunContext

    ctx = RunContext()
    if args.project is not None:
        ctx.project = args.project
    source = "--project" if args.project is not None else _project_setting()
    ctx.project = str(_project_root(ctx.project, source))
    if args.model:
        ctx.model = args.model
    if args.base_url:
        ctx.base_url = args.base_url
    if args.offline:
        ctx.offline = True
    for name in ("max_handoffs", "step_budget"):
        value = getattr(args, name)
        if value is not None:
            if value < 1:
                raise UsageError(f"--{name.replace('_', '-')} {value}: must be at least 1")
            setattr(ctx, name, value)
    return ctx


def _models():
    from graph.models import OpenAIModels

    try:
        return OpenAIModels()
    except ValueError as error:  # a bad MIXCREW_TIMEOUT / MIXCREW_MAX_RETRIES
        raise UsageError(str(error)) from None


def _project_setting() -> str:
    """Where the project came from when --project was not given, for an error about it."""
    return "MIXCREW_PROJECT" if os.environ.get("MIXCREW_PROJECT") else "the bundled example project"


def _project_root(path: str, source: str) -> Path:
    from tools.mix.project import ProjectNotFound, find_project_root

    if not Path(path).expanduser().exists():
        raise UsageError(f"{source} {path}: no such file or directory")
    try:
        return find_project_root(Path(path))
    except ProjectNotFound as error:
        raise UsageError(f"{source} {path}: {error}") from None


def _route_only(args: argparse.Namespace, agents: dict, ctx) -> int:
    from graph.models import model_failure
    from graph.supervisor import Supervisor

    if args.question is None:
        raise UsageError("--route-only needs a question")
    try:
        route, plan, parallel, _ = Supervisor(agents, _models()).route(args.question, [], ctx)
    except Exception as error:
        raise model_failure(error, ctx) or error from error
    decision = {"route": route, "plan": plan, "parallel": parallel}
    if args.json:
        print(json.dumps(decision, indent=2))
    else:
        target = ", ".join(route["agents"]) or "the supervisor itself"
        print(f"{target}  [{route['router']}] {route['reason']}")
    return EXIT_OK


def _ask_once(session, question: str, *, as_json: bool, events: bool = False) -> int:
    from graph.models import ModelFailure
    from graph.progress import open_reporter
    from graph.session import PendingRunError

    resume = f"resume with the same question and --thread {session.thread_id}"
    try:
        if as_json:
            turn = session.ask(question)
        else:
            with open_reporter(events=events) as reporter:
                turn = session.ask(question, on_event=reporter)
                reporter.finish(turn)
    except ModelFailure as error:
        _say(f"mixcrew: {error}")
        _say(f"mixcrew: the thread is saved; {resume}")
        return EXIT_FAILURE
    except PendingRunError as error:
        raise UsageError(str(error)) from None
    except KeyboardInterrupt:
        _say(f"mixcrew: interrupted; the thread is saved; {resume}")
        return EXIT_INTERRUPTED
    if as_json:
        print(json.dumps(turn.as_json(), indent=2))
    else:
        _say(f"thread {session.thread_id} (continue with --thread {session.thread_id})")
    return EXIT_OK


def _list_threads(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from graph.checkpoints import list_threads, open_checkpointer

    with open_checkpointer(args.checkpoint) as saver:
        threads = list_threads(saver)
    if args.json:
        print(json.dumps([asdict(t) for t in threads], indent=2))
        return EXIT_OK
    if not threads:
        _say("mixcrew: no saved threads")
    for thread in threads:
        when = thread.updated_at[:16].replace("T", " ")
        print(f"{thread.thread_id}\t{when}\t{thread.turns} turn(s)\t{thread.first_question}")
    return EXIT_OK


def _chat(session) -> int:
    _say(f"mixcrew chat on thread {session.thread_id}; an empty line or Ctrl-D ends it.")
    while True:
        try:
            question = input("you> ").strip()
        except EOFError:
            _say("")  # Ctrl-D leaves the cursor after the prompt
            break
        except KeyboardInterrupt:
            _say("")  # so "interrupted" starts its own line, not after "you> ^C"
            raise
        if not question:
            break
        status = _ask_once(session, question, as_json=False)
        if status != EXIT_OK:
            return status
    return EXIT_OK


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

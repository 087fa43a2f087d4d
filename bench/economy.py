"""Model economy: mixcrew against langgraph-supervisor on the same scripted tasks.

Both graphs run the same four tasks over the same two agents (same system prompts, same real
tools on examples/kanban, the same compact catalogue in the supervisor prompt), driven by one
zero-latency scripted policy (bench/scripted.py) that records every model call. Graph
overhead is a turn's wall time minus the time inside the model and inside the tools. Each graph
pays for the calls its design makes: the anchor routes with handoff tools and rewrites the
agents' answers; mixcrew routes with one structured call, reads what a task names before the
agent's first call (graph/prefetch.py), lets a single answer stand and writes only a short lead
to several.

    python -m bench.economy [--repeats N]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from bench.scripted import ModelCall, Recorder, RecordingModels
from graph.context import EXAMPLE_PROJECT, REPO_ROOT, RunContext
from graph.registry import AgentSpec, parse_agent_file
from graph.routing import build_catalogue

ELIXIR = "backend-elixir-phoenix"
K8S = "kubernetes-specialist"
AGENT_FILES = (
    REPO_ROOT / "agents" / f"{ELIXIR}.md",
    REPO_ROOT / "tests" / "fixtures" / "routing" / "agents" / f"{K8S}.md",
)

# -- the tasks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentStep:
    """What one agent does for a task: its brief, the tools it calls in order, its answer."""

    agent: str
    brief: str
    tool_calls: tuple[tuple[str, dict], ...]
    answer: str


@dataclass(frozen=True)
class Task:
    name: str
    request: str
    thread: str  # tasks sharing a thread run in order on one conversation
    steps: tuple[AgentStep, ...]  # empty: no agent fits, the supervisor answers itself
    own_answer: str = ""


_LIVEVIEWS = AgentStep(
    ELIXIR,
    "List the LiveViews that subscribe to Phoenix.PubSub, their topics and the routes to them.",
    (
        ("liveviews", {}),
        ("phoenix_routes", {"filter": "live"}),
        ("find_module", {"name": "KanbanWeb.BoardLive.Show"}),
    ),
    "Two LiveViews subscribe to PubSub:\n"
    "- KanbanWeb.BoardLive.Index (lib/kanban_web/live/board_live/index.ex:8) subscribes to "
    '"boards" in mount and handles {:board_created, _}, {:board_updated, _} and '
    "{:board_archived, _}; routes: GET /boards and /boards/new (router.ex).\n"
    "- KanbanWeb.BoardLive.Show (lib/kanban_web/live/board_live/show.ex:14) subscribes to "
    '"board:#{id}" once connected and tracks the user with KanbanWeb.Presence; route: '
    "GET /boards/:id.\nBoth live in the :authenticated live_session, so every subscription "
    "runs for a signed-in user only.",
)
_FOLLOW_UP = AgentStep(
    ELIXIR,
    "Of the LiveViews found earlier (BoardLive.Index, BoardLive.Show), which use "
    "KanbanWeb.Presence, and how do they handle presence_diff?",
    (
        ("search_code", {"regex": "Presence\\.(track|list)|presence_diff"}),
        ("find_function", {"reference": "KanbanWeb.BoardLive.Show.handle_info"}),
    ),
    "Only KanbanWeb.BoardLive.Show uses presence: it calls Presence.track/4 in mount "
    "(lib/kanban_web/live/board_live/show.ex:16) and re-reads Presence.list/1 on every "
    '"presence_diff" broadcast in handle_info (show.ex:121). BoardLive.Index does not track '
    "presence. The board channel (lib/kanban_web/channels/board_channel.ex:67) tracks users "
    "separately for the JSON clients.",
)
_OBAN = AgentStep(
    ELIXIR,
    "Which Oban jobs run on a schedule (cron), in which queues?",
    (("oban_jobs", {}), ("mix_config", {"filter": "Oban"})),
    "Two jobs run from Oban.Plugins.Cron (config/config.exs:26): Kanban.Workers."
    'DueDateReminder every hour ("0 * * * *") and Kanban.Workers.WeeklyReport on Mondays at '
    '06:00 ("0 6 * * MON"). Queues are default: 10, mailers: 20, events: 50; tests run Oban '
    "in :manual mode (config/test.exs:24).",
)
_PROBES = AgentStep(
    K8S,
    "Recommend Kubernetes readiness and liveness probes for this Phoenix app's HTTP endpoint.",
    (
        ("find_module", {"name": "KanbanWeb.Endpoint"}),
        ("read_file", {"path": "config/runtime.exs"}),
    ),
    "The endpoint (lib/kanban_web/endpoint.ex) serves HTTP through Bandit on PORT "
    "(config/runtime.exs). Add a cheap plug-level health route, then probe it: "
    "readinessProbe httpGet /healthz on the container port, periodSeconds 5, failureThreshold "
    "3; livenessProbe the same path with initialDelaySeconds 20 and periodSeconds 10, so a "
    "slow boot or database migration is not killed. Keep the probe off the database so a Repo "
    "outage does not restart every pod.",
)

SUITE: tuple[Task, ...] = (
    Task("single agent, 3 tool calls", "Which LiveViews subscribe to PubSub?", "a", (_LIVEVIEWS,)),
    Task(
        "two agents",
        "Which Oban jobs run on a schedule, and what Kubernetes probes should the app use?",
        "b",
        (_OBAN, _PROBES),
    ),
    Task("follow-up, same thread", "And which of them use Presence?", "a", (_FOLLOW_UP,)),
    Task(
        "off-topic greeting",
        "Hi! Thanks, that was helpful.",
        "c",
        (),
        own_answer="You're welcome! Ask me anything about your Elixir/Phoenix project.",
    ),
)
MENTION_TASK = Task(
    "single agent, @mention",
    f"@{ELIXIR} Which LiveViews subscribe to PubSub?",
    "m",
    (_LIVEVIEWS,),
)


# -- the scripted model's policy ------------------------------------------------------------


@dataclass
class TaskScript:
    """Answers any call of either graph for the current task, from what the call contains.

    The reply depends only on the call's messages and tools (never on call order), so the
    same policy drives both graphs and parallel branches.
    """

    agents: Mapping[str, AgentSpec]
    task: Task = SUITE[0]
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __call__(self, messages: list[BaseMessage], tools: list[dict]) -> AIMessage:
        names = [t["function"]["name"] for t in tools]
        if "RoutingDecision" in names:
            return self._route()
        if any(name.startswith("transfer_to_") for name in names):
            return self._supervise(messages)
        agent = self._agent_of(messages)
        if agent is None:  # mixcrew's finishing call: it writes what its prompt asks for
            asks_for_lead = "short lead" in messages[0].content
            return AIMessage(self._lead() if asks_for_lead else self._rewrite())
        return self._work(agent, messages)

    def _route(self) -> AIMessage:
        handoffs = [{"agent": s.agent, "task": s.brief} for s in self.task.steps]
        args = {"reason": "scripted", "handoffs": handoffs, "parallel": True}
        if not handoffs:
            args["answer"] = self.task.own_answer
        return self._call("RoutingDecision", args)

    def _supervise(self, messages: list[BaseMessage]) -> AIMessage:
        """langgraph-supervisor's supervisor: hand off one agent at a time, then answer."""
        done = sum(
            1
            for m in _this_turn(messages)
            if isinstance(m, ToolMessage) and (m.name or "").startswith("transfer_back_to_")
        )
        if done < len(self.task.steps):
            return self._call(f"transfer_to_{self.task.steps[done].agent}", {})
        return AIMessage(self._rewrite() if self.task.steps else self.task.own_answer)

    def _work(self, agent: str, messages: list[BaseMessage]) -> AIMessage:
        step = next(s for s in self.task.steps if s.agent == agent)
        own_tools = {name for name, _ in step.tool_calls}
        used = sum(
            1 for m in _this_turn(messages) if isinstance(m, ToolMessage) and m.name in own_tools
        )
        if used < len(step.tool_calls):
            return self._call(*step.tool_calls[used])
        return AIMessage(step.answer)

    def _agent_of(self, messages: list[BaseMessage]) -> str | None:
        system = messages[0].content if isinstance(messages[0], SystemMessage) else ""
        return next(
            (name for name, spec in self.agents.items() if system.startswith(spec.body.strip())),
            None,
        )

    def _rewrite(self) -> str:
        """A final answer restating the agents' answers (what a model writes when asked to)."""
        return "\n\n".join(step.answer for step in self.task.steps)

    def _lead(self) -> str:
        """A short lead to the agents' answers: each one's first sentence (asked for a lead of
        at most three sentences, a model writes about this much)."""
        return " ".join(step.answer.split(". ")[0].rstrip(".") + "." for step in self.task.steps)

    def _call(self, tool: str, args: dict) -> AIMessage:
        call = {"name": tool, "args": args, "id": f"call_{next(self._ids)}"}
        return AIMessage(content="", tool_calls=[call])


def _this_turn(messages: list[BaseMessage]) -> list[BaseMessage]:
    last_human = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
    return messages[last_human + 1 :]


# -- the two graphs -------------------------------------------------------------------------


def load_bench_agents() -> dict[str, AgentSpec]:
    return {spec.name: spec for spec in map(parse_agent_file, AGENT_FILES)}


def build_mixcrew(agents: Mapping[str, AgentSpec], models: RecordingModels):
    from graph.builder import build_graph

    return build_graph(agents, models=models, checkpointer=InMemorySaver())


def build_anchor(agents: Mapping[str, AgentSpec], models: RecordingModels, root: Path):
    """langgraph-supervisor with its defaults over create_agent workers equal to ours."""
    from langchain.agents import create_agent
    from langgraph_supervisor import create_supervisor

    from graph.specialist import system_prompt
    from graph.toolbox import project_toolset, select_tools

    ctx = RunContext(project=str(root))
    toolset = project_toolset(ctx.project_root)
    workers = [
        create_agent(
            models(ctx.model, ctx),
            select_tools(spec.tools, toolset.tools),
            system_prompt=system_prompt(spec, ctx.project_root, toolset.stack),
            name=spec.name,
        )
        for spec in agents.values()
    ]
    prompt = (
        "You are a supervisor managing a team of specialist agents. Hand each request to the "
        "agent whose description fits by calling its transfer tool, one agent at a time; when "
        "no agent fits, answer briefly yourself. The agents:\n" + build_catalogue(agents.values())
    )
    supervisor = create_supervisor(workers, model=models(ctx.model, ctx), prompt=prompt)
    return supervisor.compile(checkpointer=InMemorySaver())


# -- running and measuring ------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFigures:
    """One task through one graph; overhead is the median over repeats."""

    task: str
    model_calls: int
    routing_calls: int  # calls that chose an agent (RoutingDecision or a transfer tool)
    input_tokens: int
    output_tokens: int
    overhead_ms: float


@dataclass(frozen=True)
class SystemFigures:
    system: str
    tasks: list[TaskFigures]
    input_parts: dict[str, int] = field(default_factory=dict)  # over the 4-task suite

    def total(self, field_name: str) -> float:
        return sum(getattr(t, field_name) for t in self.tasks)

    @property
    def overhead_per_turn_ms(self) -> float:
        return self.total("overhead_ms") / len(self.tasks)


@dataclass(frozen=True)
class EconomyReport:
    mixcrew: SystemFigures
    anchor: SystemFigures
    mixcrew_mention: TaskFigures  # the single-agent task addressed with @agent

    @property
    def input_ratio(self) -> float:
        return self.mixcrew.total("input_tokens") / self.anchor.total("input_tokens")

    @property
    def mention_routing_calls(self) -> int:
        return self.mixcrew_mention.routing_calls

    @property
    def single_agent_calls_saved(self) -> int:
        return self.anchor.tasks[0].model_calls - self.mixcrew.tasks[0].model_calls


@dataclass
class _System:
    """One graph under test with its scripted model, and what its runs produced."""

    name: str
    graph: object
    script: TaskScript
    recorder: Recorder
    tasks: tuple[Task, ...]
    overheads: list[list[float]] = field(default_factory=list)  # per pass, per task (s)
    last_calls: list[list[ModelCall]] = field(default_factory=list)  # last pass, per task

    def run_pass(self, repeat: int, ctx: RunContext) -> None:
        runs = [_run_task(self, task, repeat, ctx) for task in self.tasks]
        self.overheads.append([overhead for _, overhead in runs])
        self.last_calls = [calls for calls, _ in runs]

    def figures(self) -> SystemFigures:
        measured = self.overheads[1:] or self.overheads  # the first pass is a warm-up
        tasks = [
            TaskFigures(
                task=task.name,
                model_calls=len(calls),
                routing_calls=sum(map(_chooses_agent, calls)),
                input_tokens=sum(c.input_tokens() for c in calls),
                output_tokens=sum(c.output_tokens() for c in calls),
                overhead_ms=statistics.median(run[i] for run in measured) * 1000,
            )
            for i, (task, calls) in enumerate(zip(self.tasks, self.last_calls, strict=True))
        ]
        parts: dict[str, int] = {}
        for calls in self.last_calls[: len(SUITE)]:
            for call in calls:
                for part, tokens in call.input_parts().items():
                    parts[part] = parts.get(part, 0) + tokens
        return SystemFigures(self.name, tasks, parts)


def _chooses_agent(call: ModelCall) -> bool:
    return any(n == "RoutingDecision" or n.startswith("transfer_to_") for n in call.tool_names)


class _ToolClock(BaseCallbackHandler):
    """Seconds spent inside tools: the same tools in both graphs, so not graph overhead."""

    def __init__(self) -> None:
        self.started: dict[UUID, float] = {}
        self.seconds = 0.0

    def on_tool_start(self, serialized, input_str, *, run_id: UUID, **kwargs) -> None:
        self.started[run_id] = time.perf_counter()

    def on_tool_end(self, output, *, run_id: UUID, **kwargs) -> None:
        self.seconds += time.perf_counter() - self.started.pop(run_id)


def _run_task(system: _System, task: Task, repeat: int, ctx: RunContext):
    """(the task's model calls, graph overhead in seconds: wall time minus model and tools)."""
    system.script.task = task
    first_call = len(system.recorder.calls)
    clock = _ToolClock()
    config = {"configurable": {"thread_id": f"{task.thread}-{repeat}"}, "callbacks": [clock]}
    started = time.perf_counter()
    system.graph.invoke({"messages": [HumanMessage(task.request)]}, config, context=ctx)
    wall = time.perf_counter() - started
    calls = system.recorder.calls[first_call:]
    return calls, wall - sum(c.seconds for c in calls) - clock.seconds


def _system(name: str, agents: Mapping[str, AgentSpec]) -> _System:
    script = TaskScript(agents)
    recorder = Recorder(script)
    models = RecordingModels(recorder)
    if name == "mixcrew":
        graph, tasks = build_mixcrew(agents, models), (*SUITE, MENTION_TASK)
    else:
        graph, tasks = build_anchor(agents, models, EXAMPLE_PROJECT), SUITE
    return _System(name, graph, script, recorder, tasks)


def run(repeats: int = 5) -> EconomyReport:
    """A warm-up pass, then ``repeats`` passes; the two graphs alternate so they share the
    machine's load. Calls and tokens are the same on every pass; overhead is the median."""
    agents = load_bench_agents()
    ctx = RunContext(project=str(EXAMPLE_PROJECT))
    systems = [_system("mixcrew", agents), _system("anchor", agents)]
    for repeat in range(repeats + 1):
        for system in systems:
            system.run_pass(repeat, ctx)
    mixcrew, anchor = (system.figures() for system in systems)
    suite = SystemFigures("mixcrew", mixcrew.tasks[: len(SUITE)], mixcrew.input_parts)
    return EconomyReport(suite, anchor, mixcrew.tasks[-1])


# -- printing -------------------------------------------------------------------------------


def format_report(report: EconomyReport) -> str:
    header = f"{'task':<28} {'system':<8} {'calls':>5} {'input tok':>9} {'output tok':>10} "
    header += f"{'overhead ms':>11}"
    lines = [header, "-" * len(header)]
    pairs = zip(report.mixcrew.tasks, report.anchor.tasks, strict=True)
    for ours, theirs in pairs:
        lines += [_row(ours, "mixcrew"), _row(theirs, "anchor")]
    lines.append(_row(report.mixcrew_mention, "mixcrew"))
    for system in (report.mixcrew, report.anchor):
        total = TaskFigures(
            "TOTAL (4 tasks)",
            int(system.total("model_calls")),
            int(system.total("routing_calls")),
            int(system.total("input_tokens")),
            int(system.total("output_tokens")),
            system.overhead_per_turn_ms,
        )
        lines.append(_row(total, system.system) + "  (overhead: per turn)")
    for system in (report.mixcrew, report.anchor):
        total = sum(system.input_parts.values())
        shares = ", ".join(
            f"{part} {tokens} ({tokens / total:.0%})"
            for part, tokens in sorted(system.input_parts.items(), key=lambda item: -item[1])
        )
        lines.append(f"{system.system} input: {shares}")
    lines.append(
        f"input tokens mixcrew/anchor: {report.input_ratio:.2f} (target <= 0.50); "
        f"single-agent calls saved: {report.single_agent_calls_saved} (target >= 1); "
        f"@mention routing calls: {report.mention_routing_calls} (target 0)"
    )
    return "\n".join(lines)


def _row(figures: TaskFigures, system: str) -> str:
    return (
        f"{figures.task:<28} {system:<8} {figures.model_calls:>5} {figures.input_tokens:>9} "
        f"{figures.output_tokens:>10} {figures.overhead_ms:>11.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.economy", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="measured passes (default 5)")
    args = parser.parse_args(argv)
    print(format_report(run(args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The supervisor node: route each request, dispatch handoffs, and finish the turn.

Routing order: an explicit ``@agent`` mention (no model call), then one structured-output
model call over the frontmatter catalogue (names validated, one retry), then the lexical
router (offline mode, and the fallback when the model's answer cannot be used). A request that
starts with an ``@handle`` naming no agent gets a note saying so, and the rest of it is routed.

Finishing: one result is the answer as the agent gave it (no model call, no paraphrase);
several results come back as their agents wrote them, after a short lead by the model, which may
instead hand one more task to an agent when the answers leave a part of the request open
(within the handoff cap).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, Overwrite, Send
from pydantic import BaseModel, Field, ValidationError

from graph.code_mentions import code_lookups
from graph.context import RunContext
from graph.messages import first_line, latest_request, shorten, text_of
from graph.models import ModelFactory, runs_offline
from graph.registry import AgentSpec
from graph.routing import (
    LexicalDecision,
    LexicalRouter,
    build_catalogue,
    find_mention,
    find_unknown_mention,
)
from graph.state import AgentResult, CrewState, Handoff, RouteRecord
from graph.toolbox import project_toolset
from graph.topics import field_topics, topic_tools, topic_words

if TYPE_CHECKING:
    from tools.toolset import Toolset

SUPERVISOR = "supervisor"
HISTORY_TURNS = 6  # earlier messages shown to the routing model
HISTORY_CHARS = 600  # each earlier message is trimmed to this


class PlannedHandoff(BaseModel):
    agent: str = Field(description="Exact name from the catalogue.")
    task: str = Field(description="Self-contained brief; the agent does not see the chat.")


class RoutingDecision(BaseModel):
    """The supervisor's decision for one user request."""

    reason: str = Field(description="Why, in one sentence.")
    handoffs: list[PlannedHandoff] = Field(
        default_factory=list,
        description="In order; several only for a multi-part request; none to answer yourself.",
    )
    parallel: bool = Field(default=True, description="The handoffs are independent.")
    answer: str = Field(default="", description="Your short answer when no agent fits.")


class FollowUpHandoff(PlannedHandoff):
    """Instead of the lead to the answers: one more task for an agent, only when the answers
    leave a part of the user's request unanswered that this agent can answer."""


_ROUTING_PROMPT = """You are the supervisor of mixcrew, a team of specialist agents for software \
projects, most of all Elixir/Phoenix ones. You do not solve tasks yourself: you decide who does.

For the user's latest request, either hand off to the agent(s) whose description fits best, each \
with a clear task brief, or, when no agent fits (a greeting, a question about this assistant, an \
off-topic request), answer briefly yourself. The user's project is an Elixir mix project \
({project}): questions about its code are about that project. Use only agent names from this \
catalogue:

{catalogue}"""


@dataclass
class Supervisor:
    """The ``supervisor`` node. Holds what does not change between runs."""

    agents: Mapping[str, AgentSpec]
    models: ModelFactory

    def __post_init__(self) -> None:
        self.router = LexicalRouter(self.agents.values())
        self.catalogue = build_catalogue(self.agents.values())

    def __call__(self, state: CrewState, runtime: Runtime[RunContext]) -> Command:
        ctx = runtime.context or RunContext()
        if isinstance(state["messages"][-1], HumanMessage):
            return self._start_turn(state, ctx)
        return self._continue_turn(state, ctx)

    # -- a new request ------------------------------------------------------------------------

    def _start_turn(self, state: CrewState, ctx: RunContext) -> Command:
        request = text_of(state["messages"][-1])
        (route, plan, parallel, own_answer), notes = self._route_noting(
            request, state["messages"], ctx
        )
        fresh = {
            "route": route,
            "results": Overwrite([]),
            "handoffs": 0,
            "notes": notes,
            "parallel": parallel,
        }
        if not plan:
            message = AIMessage(content=_with_notes(own_answer, notes), name=SUPERVISOR)
            return Command(goto=END, update={**fresh, "plan": [], "messages": [message]})
        return self._dispatch(
            plan, parallel, request, earlier=[], handoffs=0, ctx=ctx, update=fresh
        )

    def route(
        self, request: str, history: list[AnyMessage], ctx: RunContext
    ) -> tuple[RouteRecord, list[Handoff], bool, str]:
        """Who handles the request: (route record, plan, parallel, own answer if no plan)."""
        routed, _notes = self._route_noting(request, history, ctx)
        return routed

    def _route_noting(
        self, request: str, history: list[AnyMessage], ctx: RunContext
    ) -> tuple[tuple[RouteRecord, list[Handoff], bool, str], list[str]]:
        """:meth:`route`, and what to tell the user about it: a leading ``@handle`` that names
        no agent is said, and the rest of the request routed without it."""
        unknown = find_unknown_mention(request, self.agents)
        if unknown is None:
            return self._route(request, history, ctx), []
        if not unknown.rest:
            route = RouteRecord(router="mention", agents=[], reason=unknown.note)
            own = self._offline_answer("the request is only an agent's name")
            return (route, [], True, own), [f"{unknown.note}."]
        route, plan, parallel, own = self._route(unknown.rest, history, ctx)
        route = {**route, "reason": f"{unknown.note}; {route['reason']}"}
        note = f"{unknown.note}; the rest of the request was routed without it."
        return (route, plan, parallel, own), [note]

    def _route(
        self, request: str, history: list[AnyMessage], ctx: RunContext
    ) -> tuple[RouteRecord, list[Handoff], bool, str]:
        mentioned = find_mention(request, self.agents)
        if mentioned:
            reason = f"the request names @{mentioned}"
            plan = [Handoff(agent=mentioned, task=_without_mention(request, mentioned))]
            return _record("mention", plan, reason), plan, True, ""
        if not runs_offline(ctx, self.models):
            decision, failure = self._ask_model(request, history, ctx)
            if decision is not None:
                plan = _dedupe([Handoff(agent=h.agent, task=h.task) for h in decision.handoffs])
                own = decision.answer.strip() or "I can't help with that; no agent fits it."
                return _record("model", plan, decision.reason), plan, decision.parallel, own
            return self._route_lexically(request, history, ctx, fallback_reason=failure)
        return self._route_lexically(request, history, ctx, fallback_reason=None)

    def _ask_model(
        self, request: str, history: list[AnyMessage], ctx: RunContext
    ) -> tuple[RoutingDecision | None, str]:
        """One forced ``RoutingDecision`` tool call; one more if the answer cannot be used.

        A bound tool read by hand rather than ``with_structured_output(include_raw=True)``,
        whose parallel raw/parsed branches start threads on every call: that was most of the
        routing overhead measured by bench/economy.py.
        """
        model = self.models(ctx.model, ctx).bind_tools(
            [RoutingDecision], tool_choice=RoutingDecision.__name__
        )
        messages = [
            SystemMessage(
                _ROUTING_PROMPT.format(
                    catalogue=self.catalogue, project=project_stack(_project(ctx))
                )
            ),
            *_compact_history(history[:-1]),
            HumanMessage(request),
        ]
        problem = ""
        for _attempt in range(2):
            reply = model.invoke(messages)
            decision, problem = self._validate(reply)
            if decision is not None:
                return decision, ""
            messages += [reply, *_rejection(reply, problem)]
        return None, f"the model's routing was unusable twice ({problem})"

    def _validate(self, reply: AIMessage) -> tuple[RoutingDecision | None, str]:
        calls = [c for c in reply.tool_calls if c["name"] == RoutingDecision.__name__]
        if not calls:
            return None, f"it did not call {RoutingDecision.__name__} with valid JSON"
        try:
            decision = RoutingDecision.model_validate(calls[0]["args"])
        except ValidationError as error:
            return None, f"it did not match the decision schema ({first_line(str(error))})"
        unknown = [h.agent for h in decision.handoffs if h.agent not in self.agents]
        if unknown:
            names = ", ".join(repr(n) for n in unknown)
            return None, f"unknown agent {names}; use only names from the catalogue"
        return decision, ""

    def _route_lexically(
        self, request: str, history: list[AnyMessage], ctx: RunContext, fallback_reason: str | None
    ) -> tuple[RouteRecord, list[Handoff], bool, str]:
        decided = self.router.decide(request)
        prefix = f"fallback after {fallback_reason}; " if fallback_reason else ""
        previous = _previous_agents(history)
        follow_up = bool(previous) and _looks_like_follow_up(request)
        # The agent does not see the chat: a follow-up's task says what "it" refers back to.
        task = request
        if follow_up:
            task = f"{request}\n(A follow-up to: {_previous_request(history)})"
        if decided.agent:
            plan = [Handoff(agent=decided.agent, task=task)]
            return _record("lexical", plan, prefix + decided.reason), plan, True, ""
        project = _project(ctx)
        about = _about_the_project(request, project)
        if about:
            # It asks about things a mix project has (routes, schemas, workers...) or names its
            # code: read it as a question about this project, whose stack it leaves unsaid.
            in_context = self._read_in_project(request, project)
            if in_context.agent:
                plan = [Handoff(agent=in_context.agent, task=task)]
                reason = f"{prefix}{about}; read with its stack words added: {in_context.reason}"
                return _record("lexical", plan, reason), plan, True, ""
        if follow_up:
            plan = [Handoff(agent=previous[0], task=task)]
            reason = f"{prefix}a follow-up to {previous[0]}'s answer ({decided.reason})"
            return _record("follow-up", plan, reason), plan, True, ""
        record = RouteRecord(router="lexical", agents=[], reason=prefix + decided.reason)
        own = self._offline_answer(decided.reason)
        project_agent = None
        if project is not None and topic_words(request):
            project_agent = self._read_in_project(request, project).agent
        if project_agent:
            # One ordinary topic word ("list the routes") is too weak a sign to route on, but
            # the user who meant the project should not have to work out whom to ask.
            again = request if len(request) <= 120 and "\n" not in request else "<your request>"
            own += f"\nIf you meant this project, ask: @{project_agent} {again}"
        return record, [], True, own

    def _read_in_project(self, request: str, project: Toolset | None) -> LexicalDecision:
        """The lexical router's decision on the request read as one about the project: with
        the project's stack words, which a question about it leaves unsaid, added."""
        return self.router.decide(f"{request}\nElixir {project_stack(project)}")

    def _offline_answer(self, reason: str) -> str:
        listing = "\n".join(
            f"- @{spec.name}: {_first_sentence(spec.summary)}" for spec in self.agents.values()
        )
        return (
            "No agent fits this request, so no agent was asked "
            f"({reason}). These agents can take a request; name one with @agent-name to "
            f"choose it yourself:\n{listing}"
        )

    # -- after specialists answered -----------------------------------------------------------

    def _continue_turn(self, state: CrewState, ctx: RunContext) -> Command:
        results = state.get("results", [])
        plan = state.get("plan", [])
        handoffs = state.get("handoffs", 0)
        notes = list(state.get("notes", []))
        request = latest_request(state["messages"]) or ""
        if plan:
            if handoffs < ctx.max_handoffs:
                return self._dispatch(
                    plan, state.get("parallel", False), request, results, handoffs, ctx, update={}
                )
            skipped = ", ".join(step["agent"] for step in plan)
            notes.append(
                f"Stopped at the cap of {ctx.max_handoffs} handoffs; not asked: {skipped}."
            )
        return self._finish(results, notes, request, handoffs, ctx)

    def _dispatch(
        self,
        plan: list[Handoff],
        parallel: bool,
        request: str,
        earlier: list[AgentResult],
        handoffs: int,
        ctx: RunContext,
        update: dict,
    ) -> Command:
        room = max(ctx.max_handoffs - handoffs, 0)
        batch_size = room if parallel else min(1, room)
        batch, rest = plan[:batch_size], plan[batch_size:]
        sends = [
            Send(step["agent"], {"task": step["task"], "request": request, "earlier": earlier})
            for step in batch
        ]
        update = {**update, "plan": rest, "handoffs": handoffs + len(batch)}
        return Command(goto=sends, update=update)

    def _finish(
        self,
        results: list[AgentResult],
        notes: list[str],
        request: str,
        handoffs: int,
        ctx: RunContext,
    ) -> Command:
        if len(results) == 1 and not notes:
            return Command(goto=END, update={"notes": notes})  # the agent's answer stands as is
        answer = ""  # offline, several results stand as sections
        if len(results) > 1 and not runs_offline(ctx, self.models):
            reply = self._lead_or_follow_up(results, request, handoffs < ctx.max_handoffs, ctx)
            follow_up, problem = self._follow_up(reply, results)
            if follow_up is not None:
                return self._dispatch(
                    [follow_up], False, request, results, handoffs, ctx, update={}
                )
            notes = [*notes, problem] if problem else notes
            lead = "" if reply.tool_calls else text_of(reply).strip()
            answer = f"{lead}\n\n{_sections(results)}" if lead else ""
        answer = _with_notes(answer or _sections(results), notes)
        message = AIMessage(content=answer, name=SUPERVISOR)
        return Command(goto=END, update={"messages": [message], "notes": notes})

    def _lead_or_follow_up(
        self, results: list[AgentResult], request: str, may_follow_up: bool, ctx: RunContext
    ) -> AIMessage:
        """The model's lead to the answers, or (while the cap leaves room) its call for one more
        handoff: the one model call that finishing several results costs anyway. The answers
        follow the lead as they are: rewriting them would cost as many output tokens (the
        slow and dear ones) as they hold, and could only lose a fact or a file:line."""
        prompt = (
            "Several specialists answered parts of the user's request; their answers follow "
            "yours verbatim. Write only a short lead, at most three sentences: the answer in "
            "brief and how the parts fit together. Do not repeat their details; no preamble."
        )
        model = self.models(ctx.model, ctx)
        if may_follow_up:
            prompt += (
                f" Only if their answers leave a part of the request unanswered that an agent "
                f"can answer, call {FollowUpHandoff.__name__} instead. Agents: "
                + ", ".join(self.agents)
            )
            model = model.bind_tools([FollowUpHandoff])
        brief = f"The user's request: {request}\n\n{_sections(results)}"
        return model.invoke([SystemMessage(prompt), HumanMessage(brief)])

    def _follow_up(
        self, reply: AIMessage, results: list[AgentResult]
    ) -> tuple[Handoff | None, str]:
        """The handoff the reply asks for, if it can be made; else why not ("" if none)."""
        calls = [c for c in reply.tool_calls if c["name"] == FollowUpHandoff.__name__]
        if not calls:
            return None, ""
        try:
            asked = FollowUpHandoff.model_validate(calls[0]["args"])
        except ValidationError as error:
            return None, f"a follow-up handoff was not made ({first_line(str(error))})."
        if asked.agent not in self.agents:
            return None, f"a follow-up handoff to unknown agent {asked.agent!r} was not made."
        step = Handoff(agent=asked.agent, task=asked.task)
        done = [Handoff(agent=r["agent"], task=r["task"]) for r in results]
        if len(_dedupe([*done, step])) == len(done):
            return None, f"a follow-up repeating {asked.agent}'s task was not made."
        return step, ""


def _sections(results: list[AgentResult]) -> str:
    if not results:
        return "No agent produced an answer."
    if len(results) == 1:
        return results[0]["answer"]
    return "\n\n".join(f"## {r['agent']}\n{r['answer']}" for r in results)


def _with_notes(answer: str, notes: list[str]) -> str:
    if not notes:
        return answer
    return f"{answer}\n\n" + "\n".join(f"Note: {note}" for note in notes)


def _rejection(reply: AIMessage, problem: str) -> list[AnyMessage]:
    """Why a decision was refused, in the reply's own terms: every tool call gets its result."""
    text = f"That decision cannot be used: {problem}"
    if reply.tool_calls:
        return [ToolMessage(text, tool_call_id=c["id"], status="error") for c in reply.tool_calls]
    return [HumanMessage(text)]


def _project(ctx: RunContext) -> Toolset | None:
    """The project's tools and what they know of it; None when there is no mix project."""
    try:
        return project_toolset(ctx.project_root)
    except ValueError:  # routing goes on without the project's details
        return None


def _about_the_project(request: str, project: Toolset | None) -> str:
    """Why the request is about the user's project ("" when nothing says so): it asks about
    things a mix project has, in words of the field or in ordinary words while speaking of
    the project ("the routes of our app"), or it names the project's code."""
    topics = topic_tools(request) if _speaks_of_the_project(request) else field_topics(request)
    if topics:
        return f"the request asks about the project's {', '.join(topics)}"
    lookups = code_lookups(request, project.names, known_only=True) if project else []
    # Each lookup's first argument is what it reads: a module, a function, a path, a route.
    named = list(dict.fromkeys(next(iter(args.values())) for _, args in lookups))
    return f"the request names the project's {', '.join(named[:3])}" if named else ""


_THE_PROJECT = re.compile(
    r"\b(?:our|my|this|the)\s+(?:[\w-]+\s+)?(?:app|application|project|codebase|code|repo|"
    r"backend|service|site)\b",
    re.I,
)


def _speaks_of_the_project(request: str) -> bool:
    """ "our app", "this project", "the kanban codebase"."""
    return _THE_PROJECT.search(request) is not None


def project_stack(project: Toolset | None) -> str:
    """What the project is built with ("Phoenix 1.7.14, LiveView 1.0.1, Ecto (Postgres)"), or
    "Elixir/OTP" when there is no project to read."""
    return project.stack if project else "Elixir/OTP"


def _without_mention(request: str, name: str) -> str:
    task = re.sub(rf"@{re.escape(name)}\b[:,]?\s*", "", request).strip()
    return task or request


def _record(router: str, plan: list[Handoff], reason: str) -> RouteRecord:
    return RouteRecord(router=router, agents=[step["agent"] for step in plan], reason=reason)


def _dedupe(plan: list[Handoff]) -> list[Handoff]:
    """No agent gets the same task twice in one turn."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for step in plan:
        key = (step["agent"], " ".join(step["task"].lower().split()))
        if key not in seen:
            seen.add(key)
            unique.append(step)
    return unique


def _compact_history(messages: list[AnyMessage]) -> list[AnyMessage]:
    """Earlier turns as short messages: enough to resolve a follow-up, cheap to resend."""
    compact: list[AnyMessage] = []
    for message in messages[-HISTORY_TURNS:]:
        text = text_of(message)[:HISTORY_CHARS]
        if isinstance(message, HumanMessage):
            compact.append(HumanMessage(text))
        elif isinstance(message, AIMessage) and text:
            who = message.name or "assistant"
            compact.append(AIMessage(f"[{who} answered] {text}"))
    return compact


def _previous_agents(messages: list[AnyMessage]) -> list[str]:
    """Agents that answered the previous turn, most recent first."""
    agents: list[str] = []
    for message in reversed(messages[:-1]):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, AIMessage) and message.name and message.name != SUPERVISOR:
            agents.append(message.name)
    return agents


def _previous_request(messages: list[AnyMessage]) -> str:
    """The user's request of the turn before the latest one."""
    requests = [m for m in messages if isinstance(m, HumanMessage)]
    return shorten(text_of(requests[-2]), HISTORY_CHARS) if len(requests) > 1 else ""


_FOLLOW_UP_OPENERS = ("and ", "also ", "what about", "how about", "why", "then ", "ok", "so ")
_FOLLOW_UP_WORDS = {"it", "its", "that", "this", "those", "these", "they", "them", "there", "same"}


def _looks_like_follow_up(request: str) -> bool:
    lowered = request.strip().lower()
    return lowered.startswith(_FOLLOW_UP_OPENERS) or bool(
        _FOLLOW_UP_WORDS & set(lowered.replace("?", " ").split())
    )


def _first_sentence(text: str) -> str:
    return shorten(text.split(". ")[0].strip(), 160)

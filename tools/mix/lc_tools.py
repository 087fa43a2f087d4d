"""Each fact group as a LangChain tool: compact, filtered, bounded lines of facts."""

from __future__ import annotations

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from tools.mix.facts.base import Fact, FactGroup
from tools.mix.facts.config import ConfigGroup, in_environment
from tools.mix.index import ProjectIndex
from tools.untrusted import untrusted

MAX_OUTPUT_CHARS = 12_000


class FactQuery(BaseModel):
    # Terse on purpose: every schema is resent on every model call of a tool loop.
    filter: str = Field(default="", description="keep facts containing this text")
    limit: int = Field(default=60, ge=1, le=1000)


class ConfigQuery(FactQuery):
    env: str = Field(default="", description="dev, test or prod: only entries applying there")


def fact_tool(group: FactGroup, index: ProjectIndex) -> StructuredTool:
    if isinstance(group, ConfigGroup):
        return _config_tool(group, index)

    def run(filter: str = "", limit: int = 60) -> str:
        return render_facts(group, index.group(group.name), filter, limit)

    return StructuredTool.from_function(
        func=run,
        name=group.tool_name,
        description=group.tool_description,
        args_schema=FactQuery,
    )


def _config_tool(group: ConfigGroup, index: ProjectIndex) -> StructuredTool:
    """The config's facts, also only those that apply in one environment."""

    def run(filter: str = "", limit: int = 60, env: str = "") -> str:
        facts = index.group(group.name)
        env = env.strip().lower()
        if not env:
            return render_facts(group, facts, filter, limit)
        try:
            facts = in_environment(facts, env)
        except ValueError as error:
            return f"error: {error}"
        return render_facts(group, facts, filter, limit, scope=f"applying in {env}")

    return StructuredTool.from_function(
        func=run,
        name=group.tool_name,
        description=group.tool_description,
        args_schema=ConfigQuery,
    )


def fact_tools(index: ProjectIndex, groups: list[FactGroup]) -> list[BaseTool]:
    return [fact_tool(group, index) for group in groups]


def render_facts(
    group: FactGroup, facts: list[Fact], filter: str | None, limit: int, scope: str = ""
) -> str:
    """Facts as lines, filtered and cut to ``limit`` facts and MAX_OUTPUT_CHARS,
    ending with how many were left out and how to ask for them. ``scope`` says which of the
    project's facts ``facts`` are ("applying in prod")."""
    lines = [_safe_render(group, fact) for fact in facts]
    selected = [line for line in lines if not filter or filter.lower() in line.lower()]
    if not selected:
        where = f" matching {filter!r}" if filter else ""
        return f"no {group.name} facts{where} (of {len(facts)} {scope or 'in the project'})"
    shown: list[str] = []
    size = 0
    for line in selected[:limit]:
        if size + len(line) > MAX_OUTPUT_CHARS:
            break
        shown.append(line)
        size += len(line) + 1
    kind = f"{group.name} facts" + (f" {scope}" if scope else "")
    body = "\n".join(shown)
    left_out = len(selected) - len(shown)
    if left_out:
        body += (
            f"\n… {left_out} more not shown; narrow with filter=... or raise limit "
            f"(output is capped at {MAX_OUTPUT_CHARS} characters)"
        )
    return untrusted(f"{kind} ({len(selected)} matching)", body)


def _safe_render(group: FactGroup, fact: Fact) -> str:
    try:
        return group.render(fact)
    except Exception as error:  # a renderer bug must not hide the other facts
        return f"(unrenderable {group.name} fact: {error!r}) {fact.get('file')}:{fact.get('line')}"

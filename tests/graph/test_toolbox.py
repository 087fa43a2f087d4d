"""Which tools an agent is granted, and which a handoff is offered."""

from __future__ import annotations

import pytest

from graph.context import EXAMPLE_PROJECT
from graph.toolbox import (
    FILE_READERS,
    configured_in,
    focus_tools,
    project_toolset,
    select_tools,
)


@pytest.fixture(scope="module")
def tools():
    return project_toolset(EXAMPLE_PROJECT).tools


def names(tools) -> list[str]:
    return [tool.name for tool in tools]


def test_omitted_tools_grant_every_tool(tools):
    assert names(select_tools(None, tools)) == names(tools)
    assert len(tools) == 16


def test_empty_tools_grant_none(tools):
    assert select_tools((), tools) == []


def test_claude_code_readers_map_to_file_readers_and_writers_to_nothing(tools):
    granted = names(
        select_tools(("Read", "Write", "Edit", "Bash", "Glob", "Grep", "WebFetch"), tools)
    )
    assert sorted(granted) == sorted(FILE_READERS)


def test_our_own_tool_names_are_granted_as_named(tools):
    assert names(select_tools(("oban_jobs", "read_file", "no_such_tool"), tools)) == [
        "oban_jobs",
        "read_file",
    ]


def test_focus_offers_readers_overview_and_topic_tools(tools):
    focused = names(focus_tools("Which Oban workers are there?", tools))
    assert sorted(focused) == sorted([*FILE_READERS, "mix_project", "oban_jobs"])


def test_focus_offers_everything_when_no_topic_is_named(tools):
    assert names(focus_tools("Why does the page crash?", tools)) == names(tools)


def test_focus_on_config_asked_of_configured_things_offers_the_config_alone(tools):
    configured = configured_in(project_toolset(EXAMPLE_PROJECT), tools)
    focused = names(focus_tools("prod config for the endpoint and the repo", tools, configured))
    assert sorted(focused) == sorted([*FILE_READERS, "mix_project", "mix_config"])
    # A word the config does not set keeps its own topic's tool.
    request = "config of the endpoint and which routes exist?"
    focused = names(focus_tools(request, tools, configured))
    assert sorted(focused) == sorted([*FILE_READERS, "mix_project", "mix_config", "phoenix_routes"])

"""Offline mode's tool plan: chosen from the words of the request, bounded."""

from __future__ import annotations

import pytest

from graph.briefing import MAX_TOOLS, offline_briefing, plan_tool_calls
from graph.context import EXAMPLE_PROJECT, REPO_ROOT
from graph.registry import parse_agent_file
from graph.state import SpecialistInput
from graph.toolbox import configured_in, project_toolset

EVERY_TOOL = [
    "mix_project", "mix_deps", "elixir_modules", "mix_config", "ecto_schemas", "oban_jobs",
    "otp_tree", "phoenix_routes", "liveviews", "pubsub_and_channels", "absinthe_schema",
    "list_files", "read_file", "search_code", "find_module", "find_function",
]  # fmt: skip
FILE_READERS = ["list_files", "read_file", "search_code", "find_module", "find_function"]


def kanban_configured():
    """What the example project's config sets, for an agent granted every tool."""
    toolset = project_toolset(EXAMPLE_PROJECT)
    return configured_in(toolset, toolset.tools)


def test_overview_then_the_topics_the_request_names():
    assert plan_tool_calls("Which Oban workers run on a cron schedule?", EVERY_TOOL) == [
        ("mix_project", {}),
        ("oban_jobs", {}),
    ]


def test_module_names_are_looked_up():
    plan = plan_tool_calls("What does KanbanWeb.BoardLive.Show do on mount?", EVERY_TOOL)
    assert plan[:3] == [
        ("mix_project", {}),
        ("find_module", {"name": "KanbanWeb.BoardLive.Show"}),
        ("liveviews", {}),
    ]


def test_the_code_a_request_names_is_read_by_the_short_names_people_use():
    names = project_toolset(EXAMPLE_PROJECT).names
    request = "Review the BoardChannel: why does move_card lose positions? See lib/kanban/boards.ex"
    assert plan_tool_calls(request, EVERY_TOOL, names) == [
        ("mix_project", {}),
        ("find_module", {"name": "BoardChannel"}),
        ("find_function", {"reference": "move_card"}),
        ("read_file", {"path": "lib/kanban/boards.ex"}),
    ]


def test_a_module_named_with_one_of_its_functions_reads_that_function():
    names = project_toolset(EXAMPLE_PROJECT).names
    plan = plan_tool_calls("What does KanbanWeb.BoardChannel do on join?", EVERY_TOOL, names)
    assert plan == [
        ("mix_project", {}),
        ("find_function", {"reference": "KanbanWeb.BoardChannel.join"}),
    ]
    plan = plan_tool_calls("how does the DueDateReminder worker perform?", EVERY_TOOL, names)
    assert plan == [
        ("mix_project", {}),
        ("find_function", {"reference": "DueDateReminder.perform"}),
        ("oban_jobs", {}),
    ]


def test_a_plain_word_that_is_no_function_of_the_module_keeps_the_whole_module():
    names = project_toolset(EXAMPLE_PROJECT).names
    plan = plan_tool_calls("What does KanbanWeb.BoardLive.Show show?", EVERY_TOOL, names)
    assert plan[:2] == [("mix_project", {}), ("find_module", {"name": "KanbanWeb.BoardLive.Show"})]


def test_a_topic_word_typed_wrong_still_plans_its_tool():
    assert plan_tool_calls("which routs go to the board live views?", EVERY_TOOL) == [
        ("mix_project", {}),
        ("liveviews", {}),
        ("phoenix_routes", {}),
    ]


def test_config_asked_of_configured_things_reads_their_config_only():
    configured = kanban_configured()
    request = "prod config for the endpoint and the repo"
    plan = plan_tool_calls(request, EVERY_TOOL, configured=configured)
    assert plan == [
        ("mix_project", {}),
        ("mix_config", {"filter": "endpoint", "env": "prod"}),
        ("mix_config", {"filter": "repo", "env": "prod"}),
    ]
    # The config sets no socket (only a Repo's socket_options): the channels' facts stay.
    plan = plan_tool_calls("what is configured for the socket?", EVERY_TOOL, configured=configured)
    assert plan == [("mix_project", {}), ("pubsub_and_channels", {}), ("mix_config", {})]


def test_what_the_config_sets_is_its_apps_and_keys_not_its_values():
    configured = kanban_configured()
    assert all(map(configured, ["endpoint", "repo", "oban", "libcluster"]))
    assert not any(map(configured, ["route", "socket", "node", "channel"]))  # dev_routes: ...
    toolset = project_toolset(EXAMPLE_PROJECT)
    assert not configured_in(toolset, toolset.tools[:1])("endpoint")  # no mix_config granted


def test_the_plan_is_bounded():
    request = "routes, liveviews, pubsub, oban jobs, ecto schemas, graphql, supervisors, config"
    assert len(plan_tool_calls(request, EVERY_TOOL)) == MAX_TOOLS


def test_nothing_specific_lists_the_modules():
    assert plan_tool_calls("explain this codebase", EVERY_TOOL) == [
        ("mix_project", {}),
        ("elixir_modules", {}),
    ]


def test_an_agent_with_file_readers_only_searches_for_the_request_words():
    plan = plan_tool_calls("Which readiness probes do the deployments use?", FILE_READERS)
    assert plan == [("search_code", {"regex": "(?i)deploy|probe|readi", "glob": "**/*"})]


def trace_at(line: int) -> str:
    return (
        "why does this crash?\n** (MatchError) no match of right hand side value: nil\n"
        f"    (kanban 0.4.0) lib/kanban/boards.ex:{line}: Kanban.Boards.move_card/4\n"
    )


@pytest.mark.parametrize(
    ("line", "calls"),
    [
        # move_card is lines 149-171: its source shows the frame's line, read once.
        (151, ["mix_project", "find_function"]),
        # A line out of the function (an older trace, a macro's code): read there as well.
        (30, ["mix_project", "find_function", "read_file"]),
    ],
)
def test_a_trace_frame_is_read_once_when_its_function_shows_its_line(line, calls):
    toolset = project_toolset(EXAMPLE_PROJECT)
    spec = parse_agent_file(REPO_ROOT / "agents" / "backend-elixir-phoenix.md")
    handoff = SpecialistInput(task=trace_at(line), request=trace_at(line), earlier=[])
    result = offline_briefing(spec, handoff, toolset.tools, EXAMPLE_PROJECT, toolset.names)

    assert [call["name"] for call in result["tool_calls"]] == calls
    assert result["answer"].count(f"{line:>5}  ") == 1  # the frame's line, shown once

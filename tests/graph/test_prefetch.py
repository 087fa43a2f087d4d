"""What a specialist reads before its model's first call: only what the task names for sure."""

from __future__ import annotations

import pytest

from graph.context import EXAMPLE_PROJECT
from graph.prefetch import PREFETCH_MAX, prefetch, prefetch_calls
from graph.toolbox import project_toolset
from tests.graph.test_briefing import EVERY_TOOL, FILE_READERS, kanban_configured, trace_at


@pytest.fixture(scope="module")
def names() -> frozenset[str]:
    return project_toolset(EXAMPLE_PROJECT).names


def test_a_task_of_one_topic_reads_its_fact_tool(names):
    assert prefetch_calls("Which Oban jobs run on a cron schedule?", EVERY_TOOL, names) == [
        ("oban_jobs", {})
    ]


def test_a_task_of_several_topics_is_left_to_the_model(names):
    task = "List the LiveViews that subscribe to PubSub and the routes to them."
    assert prefetch_calls(task, EVERY_TOOL, names) == []


def test_config_asked_of_configured_things_is_one_topic(names):
    configured = kanban_configured()
    task = "prod config for the endpoint and the repo"
    assert prefetch_calls(task, EVERY_TOOL, names, configured) == [
        ("mix_config", {"filter": "endpoint", "env": "prod"}),
        ("mix_config", {"filter": "repo", "env": "prod"}),
    ]
    # More than PREFETCH_MAX filters: the whole config, in one call.
    task = "config of the endpoint, the repo and oban"
    assert prefetch_calls(task, EVERY_TOOL, names, configured) == [("mix_config", {})]
    # The config and another topic: left to the model.
    assert prefetch_calls("config of the endpoint and the channels", EVERY_TOOL, names) == []


def test_the_projects_code_a_task_names_comes_before_its_topic(names):
    task = "Why does BoardChannel drop the card:move event? See move_card."
    assert (
        prefetch_calls(task, EVERY_TOOL, names)
        == [
            ("find_module", {"name": "BoardChannel"}),
            ("find_function", {"reference": "move_card"}),
        ][:PREFETCH_MAX]
    )


def test_a_module_named_with_one_of_its_callbacks_reads_that_callback(names):
    task = "What does KanbanWeb.BoardChannel do on join?"
    assert prefetch_calls(task, EVERY_TOOL, names) == [
        ("find_function", {"reference": "KanbanWeb.BoardChannel.join"})
    ]


def test_modules_the_project_does_not_define_are_not_looked_up(names):
    assert prefetch_calls("How does Phoenix.PubSub.PG2 fan out?", FILE_READERS, names) == []


def test_only_tools_the_agent_has_are_called(names):
    assert prefetch_calls("Which Oban jobs run on a cron schedule?", FILE_READERS, names) == []


def test_a_lookup_that_raises_is_dropped_not_raised(names):
    from langchain_core.tools import StructuredTool

    def broken() -> str:
        raise RuntimeError("a bug in a fact extractor")

    tool = StructuredTool.from_function(func=broken, name="oban_jobs", description="Oban jobs.")
    task = "Which Oban jobs run on a cron schedule?"
    assert prefetch("agent", task, [tool], names, lambda word: False, {}) == []


def test_a_trace_frame_whose_function_shows_its_line_is_read_once(names):
    tools = project_toolset(EXAMPLE_PROJECT).tools
    made = prefetch("agent", trace_at(151), tools, names, lambda word: False, {})
    assert [call["name"] for call in made[0].tool_calls] == ["find_function"]
    assert "\n  151  " in made[1].content  # the frame's line, in the function read
    made = prefetch("agent", trace_at(30), tools, names, lambda word: False, {})
    assert [call["name"] for call in made[0].tool_calls] == ["find_function", "read_file"]

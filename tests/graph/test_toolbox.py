"""Which tools an agent is granted, and which a handoff is offered."""

from __future__ import annotations

import pytest

from graph.context import EXAMPLE_PROJECT
from graph.toolbox import (
    FILE_READERS,
    code_lookups,
    focus_tools,
    project_mentions,
    project_toolset,
    select_tools,
    topic_calls,
    topic_tools,
    topic_words,
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which LiveViews subscribe to PubSub?", ["liveviews", "pubsub_and_channels"]),
        ("Our Oban cron job runs twice", ["oban_jobs"]),
        ("list the routes and their pipelines", ["phoenix_routes"]),
        ("add a changeset validation to the Card schema", ["ecto_schemas"]),
        ("and who starts it?", ["otp_tree"]),
        ("why does the tracker restart so often?", ["otp_tree"]),
        ("where should I start reading this codebase?", []),
        ("deploy it", []),
        # Written apart, with an underscore or in one: the same topic word.
        ("which routes go to the board live views?", ["liveviews", "phoenix_routes"]),
        ("live_view or LiveView", ["liveviews"]),
    ],
)
def test_topic_tools(text, expected):
    assert topic_tools(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("which routs go to the board?", ["phoenix_routes"]),  # routes, one letter left out
        ("the chanels of the app", ["pubsub_and_channels"]),  # one letter left out
        ("is the scehma right?", ["ecto_schemas"]),  # two letters swapped
        ("where is the confog read?", ["mix_config"]),  # one letter replaced
        ("our genservver crashes", ["otp_tree"]),  # one letter too many
        ("how is it behavior tested?", ["elixir_modules"]),
        # A word's start ("schedul*", "dependenc*", "librar*") against the typed word's start.
        ("it is shedule for later", ["oban_jobs"]),
        ("which dependancies and libary?", ["mix_deps"]),
    ],
)
def test_a_topic_word_typed_one_edit_off_still_names_its_topic(text, expected):
    assert topic_tools(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Another first or last letter, or a word under six letters: mostly another word.
        "where do I start?",  # "starts" names the topic, "start" does not
        "the ticket is resolved",  # "resolver"
        "the release notes",  # "nodes"
        "what score do we get?",  # "scope"
        "is the API stable?",  # "table"
        "every event counts",  # "env", "mount"
        "getting a yield",  # "setting", "field"
    ],
)
def test_english_words_one_edit_from_a_topic_word_name_no_topic(text):
    assert topic_words(text) == {}


def test_config_asked_of_configured_things_filters_the_config_by_them():
    configured = {"endpoint", "repo", "oban"}.__contains__
    assert topic_calls("prod config for the endpoint and the repo", configured) == [
        ("mix_config", {"filter": "endpoint"}),
        ("mix_config", {"filter": "repo"}),
    ]
    # A word its config does not set keeps its own topic's tool; the others still filter.
    assert topic_calls("config of the endpoint and the routes", configured) == [
        ("phoenix_routes", {}),
        ("mix_config", {"filter": "endpoint"}),
    ]
    # Not asked about config: every topic's own tool, configured or not.
    assert topic_calls("the endpoint and the repo", configured) == [
        ("phoenix_routes", {}),
        ("ecto_schemas", {}),
    ]


def test_config_filters_that_would_not_fit_make_one_unfiltered_config_call():
    configured = {"endpoint", "repo", "oban"}.__contains__
    request = "config for the endpoint, the repo and oban"
    assert len(topic_calls(request, configured)) == 3
    assert topic_calls(request, configured, room=2) == [("mix_config", {})]


def test_focus_offers_readers_overview_and_topic_tools(tools):
    focused = names(focus_tools("Which Oban workers are there?", tools))
    assert sorted(focused) == sorted([*FILE_READERS, "mix_project", "oban_jobs"])


def test_focus_offers_everything_when_no_topic_is_named(tools):
    assert names(focus_tools("Why does the page crash?", tools)) == names(tools)


def test_project_mentions_are_names_of_its_code_written_like_code():
    names = project_toolset(EXAMPLE_PROJECT).names
    text = (
        "Does KanbanWeb.BoardLive.Show call move_card? BoardChannel and "
        "lib/kanban/boards.ex too. Show me the index of boards."
    )
    assert project_mentions(text, names) == [
        "KanbanWeb.BoardLive.Show",
        "move_card",
        "BoardChannel",
        "lib/kanban/boards.ex",
    ]
    assert {"Show", "Index"} <= names  # module names, but as plain words they never count
    assert project_mentions("show me the weather", names) == []


def test_plain_words_that_spell_a_compound_module_name_mention_it():
    names = project_toolset(EXAMPLE_PROJECT).names
    assert project_mentions("Where is the board channel authorised?", names) == ["BoardChannel"]
    assert project_mentions("does the Rate Limiter leak?", names) == ["RateLimiter"]
    assert project_mentions("the due date reminder runs twice", names) == ["DueDateReminder"]
    # Words that spell no module of the project, or one-word names, are plain words.
    assert project_mentions("the card channel and the board index", names) == []


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        # A module and one of its functions or callbacks, as a plain word or written as code.
        ("What does KanbanWeb.BoardChannel do on join?", ["KanbanWeb.BoardChannel.join"]),
        ("what does the board channel do when a user joins?", ["BoardChannel.join"]),
        ("How does BoardChannel handle_in card:move?", ["BoardChannel.handle_in"]),
        ("What does BoardChannel.join check?", ["BoardChannel.join"]),
        ("Does Kanban.Boards move_card broadcast?", ["Kanban.Boards.move_card"]),
        (
            "What do BoardChannel and Kanban.Boards do on join?",
            ["Kanban.Boards", "BoardChannel.join"],
        ),
    ],
)
def test_a_module_named_with_its_own_function_is_read_as_that_function(request_text, expected):
    names = project_toolset(EXAMPLE_PROJECT).names
    looked_up = [next(iter(args.values())) for _, args in code_lookups(request_text, names)]
    assert looked_up == expected


def test_english_words_count_as_functions_only_of_the_module_that_defines_them():
    names = project_toolset(EXAMPLE_PROJECT).names
    # "show" and "list" are no functions of these modules ("list_boards" is): whole modules.
    assert code_lookups("what does KanbanWeb.BoardLive.Show show?", names) == [
        ("find_module", {"name": "KanbanWeb.BoardLive.Show"})
    ]
    assert code_lookups("Where does Kanban.Boards list boards?", names) == [
        ("find_module", {"name": "Kanban.Boards"})
    ]
    # A function of another module than the one named is still read on its own.
    assert code_lookups("Does BoardChannel call move_card?", names) == [
        ("find_module", {"name": "BoardChannel"}),
        ("find_function", {"reference": "move_card"}),
    ]

"""The project's code a request names, and the lookups that show it."""

from __future__ import annotations

import pytest

from graph.code_mentions import code_lookups, project_mentions
from graph.context import EXAMPLE_PROJECT
from graph.toolbox import project_toolset


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


def test_an_arity_is_dropped_from_a_function_not_from_a_path():
    names = project_toolset(EXAMPLE_PROJECT).names
    assert project_mentions("who calls Kanban.Boards.move_card/4?", names) == [
        "Kanban.Boards.move_card"
    ]
    assert project_mentions("why does /boards/42 crash?", names) == []  # not "/boards"


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        # A module and one of its functions or callbacks, as a plain word or written as code.
        ("What does KanbanWeb.BoardChannel do on join?", ["KanbanWeb.BoardChannel.join"]),
        ("what does the board channel do when a user joins?", ["BoardChannel.join"]),
        ("How does BoardChannel handle_in card:move?", ["BoardChannel.handle_in"]),
        ("What does BoardChannel.join check?", ["BoardChannel.join"]),
        ("Does Kanban.Boards move_card broadcast?", ["Kanban.Boards.move_card"]),
        # With its arity written, as Elixir names a function.
        ("Does Kanban.Boards.move_card/4 broadcast?", ["Kanban.Boards.move_card"]),
        ("what calls move_card/4?", ["move_card"]),
        (
            "What do BoardChannel and Kanban.Boards do on join?",
            ["BoardChannel.join", "Kanban.Boards"],  # in the order written
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


def test_a_path_with_a_line_is_read_around_that_line():
    names = project_toolset(EXAMPLE_PROJECT).names
    trace = "** (MatchError)\n    (kanban 0.4.0) lib/kanban/boards.ex:151: Kanban.Boards.foo/2"
    assert ("read_file", {"path": "lib/kanban/boards.ex", "start_line": 139, "end_line": 163}) in (
        code_lookups(trace, names)
    )
    assert code_lookups("what is in lib/kanban/boards.ex?", names) == [
        ("read_file", {"path": "lib/kanban/boards.ex"})
    ]
    # Near the top of a file the range starts at its first line.
    assert code_lookups("lib/kanban/boards.ex:3", names) == [
        ("read_file", {"path": "lib/kanban/boards.ex", "start_line": 1, "end_line": 15})
    ]


def test_modules_the_project_defines_are_looked_up_before_others():
    names = project_toolset(EXAMPLE_PROJECT).names
    trace = "** (Ecto.NoResultsError) in Ecto.Repo.Queryable.one!/3 from Kanban.Boards.Card"
    assert [args["name"] for _, args in code_lookups(trace, names)] == [
        "Kanban.Boards.Card",
        "Ecto.NoResultsError",
        "Ecto.Repo.Queryable",
    ]


def test_a_traces_own_frames_come_before_the_modules_of_its_dependencies():
    names = project_toolset(EXAMPLE_PROJECT).names
    trace = (
        "** (KeyError) key :current_user not found in: %{}\n"
        "    (kanban 0.4.0) lib/kanban_web/channels/board_channel.ex:17: "
        "KanbanWeb.BoardChannel.join/3\n"
        "    (phoenix 1.7.14) lib/phoenix/channel/server.ex:376: "
        "Phoenix.Channel.Server.channel_join/4"
    )
    assert code_lookups(trace, names) == [
        ("find_function", {"reference": "KanbanWeb.BoardChannel.join"}),
        (
            "read_file",
            {"path": "lib/kanban_web/channels/board_channel.ex", "start_line": 5, "end_line": 29},
        ),
        ("find_module", {"name": "Phoenix.Channel.Server"}),
    ]
    assert code_lookups(trace, names, known_only=True) == code_lookups(trace, names)[:2]


def test_a_module_named_in_full_and_by_its_last_part_is_looked_up_once():
    names = project_toolset(EXAMPLE_PROJECT).names
    failure = (
        "Expected job matching %{worker: Kanban.Workers.WebhookDelivery} to be enqueued\n"
        'code: assert_enqueued worker: WebhookDelivery, args: %{event: "card.moved"}'
    )
    assert code_lookups(failure, names) == [
        ("find_module", {"name": "Kanban.Workers.WebhookDelivery"})
    ]


def test_a_function_named_bare_and_with_its_module_is_looked_up_with_its_module():
    names = project_toolset(EXAMPLE_PROJECT).names
    warning = (
        'warning: variable "board" is unused\n'
        " 137 │   def handle_info({:board_updated, board}, socket) do\n"
        "    └─ lib/kanban_web/live/board_live/show.ex:137:36: "
        "KanbanWeb.BoardLive.Show.handle_info/2"
    )
    assert code_lookups(warning, names) == [
        ("find_function", {"reference": "KanbanWeb.BoardLive.Show.handle_info"}),
        (
            "read_file",
            {"path": "lib/kanban_web/live/board_live/show.ex", "start_line": 125, "end_line": 149},
        ),
    ]


@pytest.mark.parametrize(
    ("request_text", "routes"),
    [
        ("which live view handles /boards/:id?", ["/boards/:id"]),  # as the router declares it
        ("GET /boards/42 returns 500", ["/boards/:id"]),  # as a browser requests it
        ("/boards/new is blank", ["/boards/new"]),  # declared as written: that route alone
        ("POST /api/v1/boards, and see /tmp/trace.log", ["/api/v1/boards"]),  # no route: none
    ],
)
def test_a_route_path_is_read_as_that_routes_facts(request_text, routes):
    names = project_toolset(EXAMPLE_PROJECT).names
    looked_up = [args["filter"] for tool, args in code_lookups(request_text, names)]
    assert looked_up == routes
    assert {tool for tool, _ in code_lookups(request_text, names)} == {"phoenix_routes"}

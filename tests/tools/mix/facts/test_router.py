"""Routes and sockets read from the forum fixture's router and endpoint."""

import pytest

from tests.tools.conftest import FIXTURES, KANBAN
from tests.tools.mix.facts.support import GroupUnderTest
from tools.mix.facts.base import Fact, SourceFile
from tools.mix.facts.router import RouterFacts

GROUP = RouterFacts()
ROUTES = GroupUnderTest(GROUP, FIXTURES / "web")


def _facts(relative: str) -> list[Fact]:
    return ROUTES.combine(ROUTES.facts(relative), ROUTES.fixtures)


def _routes(relative: str) -> list[tuple]:
    return [
        (f["verb"], f["path"], f["module"], f["action"], f["line"])
        for f in _facts(relative)
        if f["kind"] == "route"
    ]


def _by_path(relative: str) -> dict[tuple[str, str], Fact]:
    return {(f["verb"], f["path"]): f for f in _facts(relative) if f["kind"] == "route"}


ROUTER = "lib/forum_web/router.ex"


def test_plain_route_gets_scope_path_alias_and_pipeline():
    home = _by_path(ROUTER)[("get", "/")]
    assert home["module"] == "ForumWeb.PageController"
    assert home["action"] == "home"
    assert home["pipelines"] == ["browser"]
    assert home["router"] == "ForumWeb.Router"
    assert home["line"] == 19


def test_resources_expand_with_except_and_nested_param_naming():
    threads = [r for r in _routes(ROUTER) if r[1].startswith("/threads")]
    assert threads == [
        ("get", "/threads", "ForumWeb.ThreadController", "index", 21),
        ("get", "/threads/:id/edit", "ForumWeb.ThreadController", "edit", 21),
        ("get", "/threads/new", "ForumWeb.ThreadController", "new", 21),
        ("get", "/threads/:id", "ForumWeb.ThreadController", "show", 21),
        ("post", "/threads", "ForumWeb.ThreadController", "create", 21),
        ("patch", "/threads/:id", "ForumWeb.ThreadController", "update", 21),
        ("put", "/threads/:id", "ForumWeb.ThreadController", "update", 21),
        ("post", "/threads/:thread_id/posts", "ForumWeb.PostController", "create", 22),
        ("delete", "/threads/:thread_id/posts/:id", "ForumWeb.PostController", "delete", 22),
    ]


def test_singleton_and_custom_param_resources():
    routes = _routes(ROUTER)
    assert [r[:4] for r in routes if r[1].startswith("/account")] == [
        ("get", "/account/edit", "ForumWeb.AccountController", "edit"),
        ("get", "/account", "ForumWeb.AccountController", "show"),
        ("patch", "/account", "ForumWeb.AccountController", "update"),
        ("put", "/account", "ForumWeb.AccountController", "update"),
    ]
    assert [r[:2] for r in routes if r[1].startswith("/tags")] == [("get", "/tags/:slug")]


def test_nested_scope_joins_alias_and_accumulates_pipelines():
    users = _by_path(ROUTER)[("get", "/admin/users")]
    assert users["module"] == "ForumWeb.Admin.UserController"
    assert users["pipelines"] == ["browser", "require_admin"]


def test_live_session_name_on_mount_and_pipelines():
    routes = _by_path(ROUTER)
    index, show = routes[("live", "/inbox")], routes[("live", "/inbox/:id")]
    assert (index["module"], index["action"]) == ("ForumWeb.InboxLive.Index", "index")
    assert (show["module"], show["action"]) == ("ForumWeb.InboxLive.Show", None)
    for live in (index, show):
        assert live["live_session"] == "authenticated"
        assert live["on_mount"] == ["{ForumWeb.UserAuth, :ensure_authenticated}"]
        assert live["pipelines"] == ["browser", "require_authenticated_user"]


def test_match_forward_and_conditional_live_dashboard():
    routes = _by_path(ROUTER)
    assert routes[("*", "/api/ping")]["module"] == "ForumWeb.Api.PingController"
    graphql = routes[("forward", "/api/graphql")]
    assert (graphql["module"], graphql["action"]) == ("Absinthe.Plug", None)
    dashboard = routes[("live_dashboard", "/dev/dashboard")]
    assert dashboard["condition"] == "Application.compile_env(:forum, :dev_routes)"
    assert dashboard["pipelines"] == ["browser"]


def test_what_cannot_be_resolved_is_reported_with_its_line_not_guessed():
    facts = _facts(ROUTER)
    unresolved = [(f["line"], f["reason"]) for f in facts if f["kind"] == "unresolved"]
    assert unresolved == [
        (52, "inside a for comprehension"),
        (55, "path is not a literal"),
        (56, "macro call that may define routes"),
    ]
    assert not any("legacy" in f["path"] for f in facts if f["kind"] == "route")


def test_endpoint_sockets_with_transports():
    sockets = [
        (f["path"], f["module"], f["transports"], f["line"])
        for f in _facts("lib/forum_web/endpoint.ex")
        if f["kind"] == "socket"
    ]
    assert sockets == [
        ("/live", "Phoenix.LiveView.Socket", ["websocket", "longpoll"], 6),
        ("/socket", "ForumWeb.UserSocket", ["websocket"], 10),
        ("/phoenix/live_reload/socket", "Phoenix.LiveReloader.Socket", ["websocket"], 15),
    ]


def test_a_syntax_error_in_one_route_keeps_the_others():
    facts = _facts("lib/forum_web/broken_router.ex")
    assert [(f["kind"], f["line"]) for f in facts] == [
        ("route", 5),
        ("unresolved", 6),
        ("route", 7),
        ("route", 11),
        ("route", 12),
    ]
    assert facts[3]["path"] == "/api/status"
    assert facts[3]["module"] == "ForumWeb.Api.StatusController"


def test_routes_inside_a_broken_module_are_unresolved_not_guessed():
    facts = _facts("lib/forum_web/mangled_router.ex")
    assert [(f["kind"], f["line"]) for f in facts] == [("unresolved", 5), ("unresolved", 10)]
    assert all("syntax error" in f["reason"] for f in facts)


@pytest.mark.parametrize(
    ("path", "source", "wanted"),
    [
        ("lib/a.ex", b"defmodule A.Router do\n  use Phoenix.Router\nend\n", True),
        ("lib/a.ex", b"defmodule A do\n  def f, do: 1\nend\n", False),
        ("README.md", b"use Phoenix.Router", False),
    ],
)
def test_wants_only_elixir_files_that_mention_a_router_or_endpoint(path, source, wanted):
    assert GROUP.wants(SourceFile(path=path, source=source)) is wanted


def test_render_is_one_line_ending_with_file_and_line():
    for fact in _facts(ROUTER):
        line = GROUP.render(fact)
        assert "\n" not in line
        assert line.endswith(f"{ROUTER}:{fact['line']}")
    home = GROUP.render(_by_path(ROUTER)[("get", "/")])
    assert home == f"GET / ForumWeb.PageController :home pipe_through=browser {ROUTER}:19"


def _kanban_facts(relative: str) -> list[Fact]:
    return GROUP.extract(ROUTES.parse(relative, root=KANBAN))


def test_kanban_live_routes_sit_in_the_authenticated_live_session():
    live = [
        (f["path"], f["module"], f["action"], f["live_session"], f["pipelines"])
        for f in _kanban_facts("lib/kanban_web/router.ex")
        if f["verb"] == "live"
    ]
    session, pipes = "authenticated", ["browser", "require_auth"]
    assert live == [
        ("/boards", "KanbanWeb.BoardLive.Index", "index", session, pipes),
        ("/boards/new", "KanbanWeb.BoardLive.Index", "new", session, pipes),
        ("/boards/:id", "KanbanWeb.BoardLive.Show", "show", session, pipes),
        ("/boards/:id/edit", "KanbanWeb.BoardLive.Show", "edit", session, pipes),
        ("/boards/:id/cards/:card_id", "KanbanWeb.BoardLive.Show", "card", session, pipes),
    ]


def test_kanban_nested_classic_resources_and_api_scopes():
    routes = {(f["verb"], f["path"]): f for f in _kanban_facts("lib/kanban_web/router.ex")}
    card = routes[("post", "/classic/boards/:board_id/cards")]
    assert (card["module"], card["action"]) == ("KanbanWeb.CardController", "create")
    assert card["line"] == 52
    assert ("delete", "/classic/boards/:board_id/cards/:id") not in routes
    api = routes[("get", "/api/v1/boards/:id")]
    assert (api["module"], api["pipelines"]) == ("KanbanWeb.Api.BoardController", ["api"])
    assert routes[("forward", "/api/graphql")]["module"] == "Absinthe.Plug"
    assert routes[("delete", "/admin/users/:id")]["module"] == "KanbanWeb.Admin.UserController"


def test_kanban_endpoint_sockets():
    sockets = [(f["path"], f["module"]) for f in _kanban_facts("lib/kanban_web/endpoint.ex")]
    assert sockets[:2] == [
        ("/live", "Phoenix.LiveView.Socket"),
        ("/socket", "KanbanWeb.UserSocket"),
    ]

"""LiveView and LiveComponent facts from the forum fixture and the kanban example."""

from pathlib import Path

from tests.tools.conftest import FIXTURES, KANBAN
from tests.tools.mix.facts.support import GroupUnderTest
from tools.mix.facts.base import Fact, SourceFile
from tools.mix.facts.liveview import LiveViewFacts

FIXTURE = FIXTURES / "web"
GROUP = LiveViewFacts()
LIVEVIEWS = GroupUnderTest(GROUP, FIXTURE)


def _liveviews(root: Path) -> dict[str, Fact]:
    """Every LiveView of the project at ``root``, by module name, after ``combine``."""
    paths = [path for path in sorted(root.rglob("*")) if path.suffix in (".ex", ".exs", ".heex")]
    relatives = [str(path.relative_to(root)) for path in paths]
    facts = [fact for relative in relatives for fact in LIVEVIEWS.extract(relative, root=root)]
    return {fact["module"]: fact for fact in LIVEVIEWS.combine(facts, root)}


def test_liveviews_and_components_are_found_through_either_use_form():
    kinds = {module: fact["type"] for module, fact in _liveviews(FIXTURE).items()}
    assert kinds == {
        "ForumWeb.InboxLive.Index": "live_view",  # use ForumWeb, :live_view
        "ForumWeb.InboxLive.Show": "live_view",  # use Phoenix.LiveView
        "ForumWeb.ComposeComponent": "live_component",  # use ForumWeb, :live_component
    }


def test_callbacks_events_and_info_patterns_as_written():
    index = _liveviews(FIXTURE)["ForumWeb.InboxLive.Index"]
    assert index["callbacks"] == {"mount": 8, "handle_params": 18}
    assert index["events"] == [
        {"name": "archive", "line": 25},
        {"name": "star", "line": 30},
        {"name": None, "pattern": '"filter:" <> filter', "line": 34},
    ]
    assert index["infos"] == [
        {"pattern": "{:new_message, message}", "line": 39},
        {"pattern": '%{event: "presence_diff"}', "line": 43},
    ]


def test_subscriptions_keep_the_topic_as_written_through_an_alias():
    index = _liveviews(FIXTURE)["ForumWeb.InboxLive.Index"]
    assert [(s["topic"], s["line"]) for s in index["subscriptions"]] == [
        ('"inbox:#{socket.assigns.current_user.id}"', 10),
        (None, 11),  # Messages.subscribe/1: a context's wrapper, topic not known here
    ]
    assert index["subscriptions"][1]["call"] == "Messages.subscribe(socket.assigns.current_user)"


def test_stream_operations():
    index = _liveviews(FIXTURE)["ForumWeb.InboxLive.Index"]
    assert [(s["op"], s["name"], s["line"]) for s in index["streams"]] == [
        ("stream", "messages", 14),
        ("stream_delete", "messages", 27),
        ("stream_insert", "messages", 40),
    ]


def test_colocated_template_bindings_js_push_and_live_components():
    (template,) = _liveviews(FIXTURE)["ForumWeb.InboxLive.Index"]["templates"]
    assert template["file"] == "lib/forum_web/live/inbox_live/index.html.heex"
    assert [(b["binding"], b["events"], b["line"]) for b in template["bindings"]] == [
        ("phx-click", ["filter:unread"], 4),
        ("phx-click", ["filter:all"], 5),
        ("phx-click", ["archive"], 11),
        ("phx-click", [], 12),  # JS.toggle: runs in the browser, sends no event
    ]
    assert template["bindings"][3]["expression"] == 'JS.toggle(to: "#details-#{message.id}")'
    assert template["live_components"] == [{"module": "ForumWeb.ComposeComponent", "line": 16}]


def test_sigil_template_lines_are_file_lines_and_render_wins_over_colocated_file():
    show = _liveviews(FIXTURE)["ForumWeb.InboxLive.Show"]
    (template,) = show["templates"]
    assert (template["source"], template["line"]) == ("~H", 9)
    assert [(b["binding"], b["events"], b["line"]) for b in template["bindings"]] == [
        ("phx-submit", ["reply"], 12),
        ("phx-change", ["draft"], 12),
    ]
    assert show["events"] == [{"name": None, "pattern": "event", "line": 19}]


def test_component_target_and_clauses_after_a_syntax_error():
    component = _liveviews(FIXTURE)["ForumWeb.ComposeComponent"]
    submit, cancel = component["templates"][0]["bindings"]
    assert (submit["events"], submit["target"]) == (["send"], "@myself")
    assert "target" not in cancel
    # The "discard" clause (line 24) lacks a closing brace; "preview" after it still counts.
    assert [e["name"] for e in component["events"]] == ["send", "discard", "preview"]
    assert component["callbacks"] == {"update": 4, "render": 8}


def test_kanban_board_index():
    index = _liveviews(KANBAN)["KanbanWeb.BoardLive.Index"]
    assert index["callbacks"] == {"mount": 8, "handle_params": 22}
    assert [e["name"] for e in index["events"]] == ["validate", "save", "search", "archive"]
    assert [i["pattern"] for i in index["infos"]] == [
        "{:board_created, board}",
        "{:board_updated, board}",
        "{:board_archived, board}",
    ]
    assert [s["topic"] for s in index["subscriptions"]] == ["Boards.user_topic(user.id)"]
    assert {s["name"] for s in index["streams"]} == {"boards"}
    (template,) = index["templates"]
    sent = [(b["binding"], b["events"][0]) for b in template["bindings"]]
    assert sent == [
        ("phx-change", "search"),
        ("phx-submit", "search"),
        ("phx-click", "archive"),
        ("phx-change", "validate"),
        ("phx-submit", "save"),
    ]
    handled = {e["name"] for e in index["events"]}
    assert {event for _, event in sent} <= handled


def test_wants_templates_and_liveview_sources_only():
    assert GROUP.wants(SourceFile("lib/a/show.html.heex", b"<p>hi</p>"))
    assert GROUP.wants(SourceFile("lib/a.ex", b"use Phoenix.LiveView"))
    assert not GROUP.wants(SourceFile("lib/a.ex", b"use Ecto.Schema"))


def test_render_is_one_line_ending_with_the_module_location():
    for fact in _liveviews(FIXTURE).values():
        line = GROUP.render(fact)
        assert "\n" not in line
        assert line.endswith(f"{fact['file']}:{fact['line']}")
    show = GROUP.render(_liveviews(FIXTURE)["ForumWeb.InboxLive.Show"])
    assert show.startswith("live_view ForumWeb.InboxLive.Show: mount@4 render@8 | ")
    assert 'phx-submit="reply"@12' in show

"""PubSub, Endpoint, Presence and channel facts from the forum fixture and the kanban example."""

from tests.tools.conftest import FIXTURES, KANBAN
from tests.tools.mix.facts.support import GroupUnderTest
from tools.mix.facts.base import Fact, SourceFile
from tools.mix.facts.realtime import RealtimeFacts

GROUP = RealtimeFacts()
REALTIME = GroupUnderTest(GROUP, FIXTURES / "web")


def _summary(facts: list[Fact]) -> list[tuple]:
    return [(f["kind"], f.get("op"), f.get("topic"), f["line"]) for f in facts]


def test_pubsub_endpoint_and_presence_calls_keep_topics_as_written():
    facts = REALTIME.facts("lib/forum/threads.ex")
    assert _summary(facts) == [
        ("pubsub", "PubSub.subscribe", "topic(thread_id)", 6),
        ("pubsub", "PubSub.broadcast", '"thread:#{thread.id}"', 10),
        ("pubsub", "PubSub.local_broadcast", '"threads"', 11),  # piped server argument
        ("pubsub", "ForumWeb.Endpoint.broadcast_from", '"thread:#{thread.id}"', 12),
        ("presence", "track", '"thread:#{thread.id}"', 13),
        # delete_post lacks a closing parenthesis: its broadcast and lock/1 after it remain.
        ("pubsub", "PubSub.broadcast", "topic(post.thread_id)", 19),
        ("pubsub", "ForumWeb.Endpoint.broadcast!", '"thread:#{thread.id}"', 23),
    ]
    assert facts[1]["message"] == "{:post_created, post}"
    assert facts[3]["event"] == '"post:created"'
    assert facts[4]["key"] == '"system"'
    assert (facts[1]["module"], facts[1]["function"]) == ("Forum.Threads", "create_post/2")
    assert facts[6]["function"] == "lock/1"


def test_channel_clauses_outgoing_messages_and_presence_on_the_socket():
    facts = REALTIME.facts("lib/forum_web/channels/thread_channel.ex")
    assert [
        (f["kind"], f.get("op"), f.get("topic") or f.get("event"), f["line"]) for f in facts
    ] == [
        ("join", None, '"thread:" <> thread_id', 6),
        ("handle_in", None, '"post:new"', 11),
        ("channel_out", "broadcast!", '"post:created"', 12),
        ("handle_in", None, '"typing"', 16),
        ("channel_out", "broadcast_from!", '"typing"', 17),  # piped socket
        ("presence", "track", "socket", 22),
        ("presence", "list", "socket", 23),
        ("channel_out", "push", '"presence_state"', 23),
    ]
    # Helpers.push/2 in the nested module is not a channel push.
    assert all(f["module"] == "ForumWeb.ThreadChannel" for f in facts)


def test_socket_channel_routes():
    facts = REALTIME.facts("lib/forum_web/channels/user_socket.ex")
    assert [(f["topic"], f["channel"], f["line"]) for f in facts] == [
        ('"thread:*"', "ForumWeb.ThreadChannel", 4),
        ('"notifications:*"', "ForumWeb.NotificationChannel", 5),
    ]


def test_kanban_board_topic_publishers_and_listeners():
    boards = REALTIME.facts("lib/kanban/boards.ex", root=KANBAN)
    assert [(f["function"], f["op"], f["topic"], f.get("message")) for f in boards] == [
        ("create_board/2", "PubSub.broadcast", "user_topic(user.id)", "{:board_created, board}"),
        ("add_member/3", "PubSub.broadcast", "user_topic(user.id)", "{:board_created, board}"),
        ("move_card/4", "PubSub.broadcast_from", "topic(moved.board_id)", "{:card_moved, moved}"),
        ("broadcast/2", "PubSub.broadcast", "topic(board_id)", "message"),
    ]
    show = REALTIME.facts("lib/kanban_web/live/board_live/show.ex", root=KANBAN)
    assert [(f["kind"], f["op"], f["topic"]) for f in show] == [
        ("pubsub", "PubSub.subscribe", '"board:#{id}"'),
        ("presence", "track", '"board:#{id}"'),
        ("presence", "list", '"board:#{board_id}"'),
    ]
    socket = REALTIME.facts("lib/kanban_web/channels/user_socket.ex", root=KANBAN)
    assert [(f["kind"], f["topic"], f["channel"]) for f in socket] == [
        ("channel", '"board:*"', "KanbanWeb.BoardChannel")
    ]


def test_kanban_board_channel_events():
    facts = REALTIME.facts("lib/kanban_web/channels/board_channel.ex", root=KANBAN)
    incoming = [f["event"] for f in facts if f["kind"] == "handle_in"]
    assert incoming == ['"card:move"', '"card:typing"', '"activity:recent"', '"ping"']
    assert [f["topic"] for f in facts if f["kind"] == "join"] == ['"board:" <> board_id']
    outgoing = [(f["op"], f["event"]) for f in facts if f["kind"] == "channel_out"]
    assert ("broadcast!", '"user_typing"') in outgoing
    assert ("push", "Atom.to_string(event)") in outgoing


def test_wants_and_render():
    assert not GROUP.wants(SourceFile("lib/a.ex", b"defmodule A do\nend\n"))
    assert GROUP.wants(SourceFile("lib/a.ex", b"Phoenix.PubSub.broadcast(P, t, m)"))
    facts = REALTIME.facts("lib/forum/threads.ex")
    assert GROUP.render(facts[1]) == (
        'pubsub PubSub.broadcast topic="thread:#{thread.id}" message={:post_created, post} '
        "in Forum.Threads.create_post/2 lib/forum/threads.ex:10"
    )

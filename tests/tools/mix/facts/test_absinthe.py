"""Absinthe schema facts from the forum fixture and the kanban example."""

from pathlib import Path

from tests.tools.conftest import FIXTURES, KANBAN
from tests.tools.mix.facts.support import GroupUnderTest
from tools.mix.facts.absinthe import AbsintheFacts
from tools.mix.facts.base import Fact, SourceFile

FIXTURE = FIXTURES / "web"
GROUP = AbsintheFacts()
ABSINTHE = GroupUnderTest(GROUP, FIXTURE)


def _operations(root: Path, relative: str) -> dict[str, Fact]:
    return {f["name"]: f for f in ABSINTHE.facts(relative, root=root) if f["kind"] == "operation"}


def _types(root: Path, relative: str) -> dict[str, Fact]:
    return {f["name"]: f for f in ABSINTHE.facts(relative, root=root) if f["kind"] == "type"}


SCHEMA = "lib/forum_web/schema.ex"
TYPES = "lib/forum_web/schema/thread_types.ex"


def test_schema_module_and_its_imported_types():
    (schema,) = [f for f in ABSINTHE.facts(SCHEMA) if f["kind"] == "schema"]
    assert (schema["module"], schema["line"]) == ("ForumWeb.Schema", 1)
    assert schema["import_types"] == ["ForumWeb.Schema.ThreadTypes"]


def test_root_fields_in_order_with_import_fields_kept_as_written():
    facts = [f for f in ABSINTHE.facts(SCHEMA) if f["kind"] == "operation"]
    assert [(f["operation"], f["name"], f["line"]) for f in facts] == [
        ("query", None, 9),
        ("query", "node", 11),
        ("query", "health", 15),
        ("mutation", "create_post", 21),
        ("mutation", "delete_post", 28),
        ("mutation", "lock_thread", 33),
        ("subscription", "post_changed", 40),
    ]
    assert facts[0]["import_fields"] == ":thread_queries"


def test_args_types_and_resolvers_with_aliases_expanded():
    operations = _operations(FIXTURE, SCHEMA)
    create = operations["create_post"]
    assert create["type"] == ":post"
    assert create["args"] == [
        {"name": "thread_id", "type": "non_null(:id)"},
        {"name": "body", "type": "non_null(:string)"},
    ]
    assert create["resolve"] == "&ThreadResolver.create_post/3"
    assert create["resolver"] == "ForumWeb.Resolvers.Threads.create_post/3"
    # `resolve:` given as an option of the field, with a do block for its args.
    assert operations["node"]["resolver"] == "ForumWeb.Resolvers.Threads.node/3"
    assert operations["health"]["resolve"] == 'fn _, _, _ -> {:ok, "ok"} end'
    assert "resolver" not in operations["health"]


def test_a_broken_field_keeps_its_resolver_and_the_fields_after_it():
    operations = _operations(FIXTURE, SCHEMA)
    broken = operations["delete_post"]
    assert broken["args"] == [{"name": "id", "type": None}]  # never the garbled text
    assert broken["resolver"] == "ForumWeb.Resolvers.Threads.delete_post/3"
    assert operations["lock_thread"]["resolver"] == "ForumWeb.Resolvers.Threads.lock/3"


def test_subscription_config_and_trigger_list():
    changed = _operations(FIXTURE, SCHEMA)["post_changed"]
    assert changed["config"] == 'fn args, _ -> {:ok, topic: "thread:#{args.thread_id}"} end'
    assert changed["triggers"] == [
        {
            "mutations": ["create_post", "delete_post"],
            "topic": 'fn post -> "thread:#{post.thread_id}" end',
            "line": 43,
        }
    ]


def test_object_interface_enum_and_scalar_types():
    types = _types(FIXTURE, TYPES)
    assert {name: t["type_kind"] for name, t in types.items()} == {
        "node": "interface",
        "thread_state": "enum",
        "thread": "object",
        "post": "object",
        "thread_queries": "object",
        "cursor": "scalar",
    }
    assert types["thread_state"]["values"] == ["open", "locked"]
    assert types["thread"]["interfaces"] == [":node"]
    assert types["post"]["interfaces"] == [":node"]
    assert [(f["name"], f["type"]) for f in types["post"]["fields"]] == [
        ("id", "non_null(:id)"),
        ("body", ":string"),  # field(:body, :string) with parentheses
    ]
    posts = types["thread"]["fields"][3]
    assert (posts["type"], posts["resolver"]) == (
        "list_of(non_null(:post))",
        "ForumWeb.Resolvers.Threads.posts/3",
    )
    threads = types["thread_queries"]["fields"][0]
    assert threads["args"] == [{"name": "state", "type": ":thread_state"}]


def test_kanban_schema():
    operations = _operations(KANBAN, "lib/kanban_web/schema.ex")
    by_kind = {}
    for fact in operations.values():
        by_kind.setdefault(fact["operation"], []).append(fact["name"])
    assert by_kind == {
        "query": ["me", "boards", "board", "search"],
        "mutation": ["create_card", "move_card", "add_comment", "update_profile"],
        "subscription": ["card_moved", "comment_added"],
    }
    assert operations["boards"]["type"] == "non_null(list_of(non_null(:board)))"
    assert operations["move_card"]["resolver"] == "KanbanWeb.Resolvers.Boards.move_card/3"
    assert operations["card_moved"]["triggers"][0]["mutations"] == ["move_card"]
    types = _types(KANBAN, "lib/kanban_web/schema/board_types.ex")
    assert types["search_result"]["types"] == [":board", ":card"]
    assert types["card_priority"]["values"] == ["low", "normal", "high", "urgent"]
    assert types["card_input"]["type_kind"] == "input_object"


def test_wants_and_render():
    assert not GROUP.wants(SourceFile("lib/a.ex", b"defmodule A do\nend\n"))
    create = _operations(FIXTURE, SCHEMA)["create_post"]
    assert GROUP.render(create) == (
        "mutation create_post(thread_id: non_null(:id), body: non_null(:string)): :post "
        f"resolve ForumWeb.Resolvers.Threads.create_post/3 {SCHEMA}:21"
    )
    for fact in ABSINTHE.facts(TYPES):
        assert GROUP.render(fact).endswith(f"{TYPES}:{fact['line']}")

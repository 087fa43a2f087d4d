"""The parse helpers on small real Elixir sources."""

from __future__ import annotations

import re

from tools.mix.parse import (
    DEF_MACROS,
    Atom,
    Unresolved,
    call_args,
    call_name,
    calls_matching,
    do_block_children,
    enclosing_call,
    enclosing_module,
    expand_alias,
    find_calls,
    first_param,
    function_head,
    iter_modules,
    keyword_args,
    line_of,
    literal,
    module_aliases,
    module_uses,
    node_text,
    nodes_at,
    one_line,
    parse_source,
    pipe_source,
    show,
    use_target,
    used_module,
    written,
)

SOURCE = b"""defmodule Shop.Web.CartLive do
  use Shop.Web, :live_view
  alias Shop.{Carts, Carts.Item}
  alias Phoenix.PubSub, as: Bus
  alias __MODULE__.Row

  def add(cart, item, count \\\\ 1) when count > 0 do
    # notify everyone
    Bus.broadcast(Shop.PubSub, "cart", {:added, %{id: item.id}})
    Repo.insert!(item)
    cart |> Repo.preload(:items)
  end

  defmodule Row do
    def render(assigns), do: assigns
  end
end
"""


def _module(name: str):
    tree = parse_source("lib/cart_live.ex", SOURCE).tree
    return next(m for m in iter_modules(tree) if m.name == name)


def test_nested_modules_get_full_names_and_lines():
    tree = parse_source("lib/cart_live.ex", SOURCE).tree
    modules = [(m.name, line_of(m.node)) for m in iter_modules(tree)]
    assert modules == [("Shop.Web.CartLive", 1), ("Shop.Web.CartLive.Row", 14)]


def test_aliases_cover_braces_as_module_and_nested_modules():
    aliases = module_aliases(_module("Shop.Web.CartLive"))
    assert aliases == {
        "Carts": "Shop.Carts",
        "Item": "Shop.Carts.Item",
        "Bus": "Phoenix.PubSub",
        "Row": "Shop.Web.CartLive.Row",
    }
    assert expand_alias("Item.Price", aliases) == "Shop.Carts.Item.Price"
    assert expand_alias("Unknown", aliases) == "Unknown"


def test_find_calls_matches_local_and_remote_names_with_aliases():
    module = _module("Shop.Web.CartLive")
    aliases = module_aliases(module)
    calls = find_calls(
        module.node, {"Phoenix.PubSub.broadcast", "Repo.insert!", "Repo.preload"}, aliases
    )
    assert [(call_name(c, aliases), line_of(c)) for c in calls] == [
        ("Phoenix.PubSub.broadcast", 9),
        ("Repo.insert!", 10),
        ("Repo.preload", 11),
    ]
    assert find_calls(module.node, {"Repo.delete"}) == []


def test_call_args_skip_comments_and_literals_resolve():
    module = _module("Shop.Web.CartLive")
    broadcast = find_calls(module.node, {"Bus.broadcast"})[0]
    args = call_args(broadcast)
    assert [a.type for a in args] == ["alias", "string", "tuple"]
    assert literal(args[1]) == "cart"
    assert literal(args[2]) == (Atom("added"), {"id": Unresolved("item.id")})


def test_a_call_cut_short_has_no_arguments():
    tree = parse_source("lib/cut.ex", b"x = Foo.").tree
    cut = tree.root_node.named_children[0].child_by_field_name("right")
    assert (cut.type, cut.named_child_count) == ("call", 1)
    assert call_args(cut) == []


def test_function_head_counts_defaults_and_skips_guards():
    module = _module("Shop.Web.CartLive")
    heads = [function_head(n) for n in module.body if n.type == "call"]
    add = next(h for h in heads if h and h.name == "add")
    assert (add.kind, add.arity, add.arities, add.line) == ("def", 3, [2, 3], 7)
    row = _module("Shop.Web.CartLive.Row")
    render = function_head(row.body[0])
    assert (render.name, render.arity) == ("render", 1)
    assert [node_text(n) for n in do_block_children(row.body[0])] == ["assigns"]


def test_literal_values():
    source = (
        b'config :app, Key, a: 1_000, b: "s#{x}", c: [x: :y, z: ~w(p q)], '
        b'd: %{"k" => -1.5, e: nil}, f: 0x1F, g: true, h: {1, "t"}, i: Foo.Bar, j: f(1)'
    )
    call = parse_source("config/config.exs", source).tree.root_node.named_children[0]
    values = {key: literal(node) for key, node in keyword_args(call).items()}
    assert values == {
        "a": 1000,
        "b": Unresolved('"s#{x}"'),
        "c": {"x": "y", "z": ["p", "q"]},
        "d": {"k": -1.5, "e": None},
        "f": 31,
        "g": True,
        "h": (1, "t"),
        "i": "Foo.Bar",
        "j": Unresolved("f(1)"),
    }
    assert show(values["c"]) == '[x: :y, z: ["p", "q"]]'


def test_first_error_line_and_heex():
    broken = parse_source("lib/a.ex", b"defmodule A do\n  def f(x) do\n    %{a: 1\n  end\nend\n")
    assert broken.first_error_line == 4  # the missing "}" is noticed where `end` stands
    assert parse_source("lib/a.ex", SOURCE).first_error_line is None
    heex = parse_source("lib/a.html.heex", b"<div :if={@x}>\n  <.button>Go</.button>\n</div>\n")
    assert heex.tree.root_node.type == "fragment" and heex.first_error_line is None
    assert parse_source("README.md", b"# hi").tree is None


HELPERS = b"""defmodule Shop.Notifier do
  use Shop.Web, :channel
  use GenServer, restart: :transient

  def notify(%{id: id} = item, topic) when is_binary(topic) do
    "not_a_call(1)"  # broadcast(...) in a comment is no call either
    item |> Phoenix.PubSub.broadcast(topic, {:item, id})
    broadcast!(topic, "x", %{})
    broadcast_from(self(), topic)
    Shop.Notifier.Worker.new(%{id: id}) |> Oban.insert()
  end

  def shown do
    %{
      a: 1,
      b: [2,
          3]
    }
  end
end
"""


def _helpers_module():
    return next(iter(parse_source("lib/notifier.ex", HELPERS).modules))


def test_calls_matching_finds_local_and_remote_calls_by_name_not_strings_or_comments():
    module = _helpers_module()
    calls = calls_matching(module.node, "broadcast!?|not_a_call")
    assert [(call_name(c), line_of(c)) for c in calls] == [
        ("Phoenix.PubSub.broadcast", 7),
        ("broadcast!", 8),
    ]
    assert [call_name(c) for c in calls_matching(module.node, "broadcast", remote=False)] == []
    local_only = calls_matching(module.node, "broadcast!|broadcast_from", remote=False)
    assert [call_name(c) for c in local_only] == ["broadcast!", "broadcast_from"]
    assert [call_name(c) for c in calls_matching(module.node, "new|insert", local=False)] == [
        "Shop.Notifier.Worker.new",
        "Oban.insert",
    ]
    on_modules = calls_matching(module.node, "new|insert|broadcast", module="PubSub|Worker")
    assert [call_name(c) for c in on_modules] == [
        "Phoenix.PubSub.broadcast",
        "Shop.Notifier.Worker.new",
    ]


def test_nodes_at_gives_the_node_spanning_each_match():
    module = _helpers_module()
    found = [(n.type, node_text(n)) for n in nodes_at(module.node, re.compile(rb"topic\b"))]
    assert found == [("identifier", "topic")] * 5  # two in the head, one per call
    assert list(nodes_at(module.node, re.compile(rb"otif"))) == []  # inside a larger token


def test_pipes_enclosing_calls_and_first_params():
    module = _helpers_module()
    broadcast, insert = calls_matching(module.node, "broadcast|insert", local=False)
    assert node_text(pipe_source(broadcast)) == "item"
    assert node_text(pipe_source(insert)) == "Shop.Notifier.Worker.new(%{id: id})"
    assert pipe_source(calls_matching(module.node, "broadcast_from")[0]) is None
    notify = enclosing_call(broadcast, DEF_MACROS)
    assert function_head(notify).name == "notify"
    assert enclosing_module(broadcast) == module.node
    assert enclosing_module(module.node) is None
    assert node_text(first_param(notify)) == "%{id: id} = item"
    assert first_param(module.body[-1]) is None  # def shown do


def test_uses_and_module_expansion():
    module = _helpers_module()
    uses = module_uses(module)
    assert [used_module(u) for u in uses] == ["Shop.Web", "GenServer"]
    assert [use_target(u) for u in uses] == [":channel", "GenServer"]
    assert expand_alias("__MODULE__.Worker", {}, "Shop.Notifier") == "Shop.Notifier.Worker"
    assert expand_alias("__MODULE__", {}, "Shop.Notifier") == "Shop.Notifier"
    assert expand_alias("__MODULE__.Worker", {}) == "__MODULE__.Worker"  # no module given


def test_one_line_and_written_shorten_source_as_written():
    module = _helpers_module()
    shown = do_block_children(module.body[-1])[0]
    assert written(shown) == "%{ a: 1, b: [2, 3] }"
    assert written(shown, limit=10) == "%{ a: 1..."
    assert written(None) is None
    assert one_line("  a\n\t b  ") == "a b"

"""The parse helpers on small real Elixir sources."""

from __future__ import annotations

from tools.mix.parse import (
    Atom,
    Unresolved,
    call_args,
    call_name,
    do_block_children,
    expand_alias,
    find_calls,
    function_head,
    iter_modules,
    keyword_args,
    line_of,
    literal,
    module_aliases,
    node_text,
    parse_source,
    show,
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

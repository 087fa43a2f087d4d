"""The LangChain tools the graph receives, invoked the way a model would call them."""

from __future__ import annotations

import pytest

from tests.tools.conftest import KANBAN, UMBRELLA, write
from tools.toolset import build_tools, open_toolset


@pytest.fixture(scope="module")
def tools():
    return {tool.name: tool for tool in build_tools(UMBRELLA / "apps" / "shop")}


def test_every_tool_is_there(tools):
    assert {
        "mix_project",
        "mix_deps",
        "elixir_modules",
        "mix_config",
        "list_files",
        "read_file",
        "search_code",
        "find_module",
        "find_function",
    } <= set(tools)


def test_the_stack_in_one_line():
    assert open_toolset(UMBRELLA).stack == "Phoenix 1.7.14, LiveView 1.0.1"
    assert open_toolset(KANBAN).stack.startswith("Phoenix 1.7.14, LiveView 1.0.1, Ecto (Postgres)")


def test_fact_tool_filter_and_limit(tools):
    text = tools["elixir_modules"].invoke({"filter": "genserver"})
    assert text.startswith("untrusted project content from modules facts (1 matching):")
    assert "Shop.Inventory [genserver]" in text and "apps/shop/lib/shop/inventory.ex:1" in text
    limited = tools["elixir_modules"].invoke({"limit": 2})
    assert "… 9 more not shown" in limited
    deps = tools["mix_deps"].invoke({"filter": "money_fmt"}).splitlines()[1:]
    assert deps == [
        "dep money_fmt (path: ../../vendor/money_fmt; in app shop) apps/shop/mix.exs:27"
    ]
    assert "no config facts matching 'nothing-like-this'" in tools["mix_config"].invoke(
        {"filter": "nothing-like-this"}
    )


def test_config_in_one_environment_is_what_applies_there():
    config = {tool.name: tool for tool in build_tools(KANBAN)}["mix_config"]
    prod = config.invoke({"env": "prod", "limit": 200})
    lines = prod.splitlines()[1:]
    assert prod.startswith("untrusted project content from config facts applying in prod (19 ")
    assert {line.rsplit(" ", 1)[-1].split(":")[0] for line in lines} == {
        "config/config.exs",  # every environment
        "config/prod.exs",
        "config/runtime.exs",  # its `if config_env() == :prod` block and the rest
    }
    assert "config :kanban, Kanban.Mailer [runtime when config_env() == :prod]" in prod
    assert 'api_key: System.get_env("MAILGUN_API_KEY", "<redacted>")' in prod
    assert "key-3ax6xnjp29jd6fds4gc373sgvjxteol0" not in prod

    dev = config.invoke({"env": "dev", "limit": 200})
    assert "config/dev.exs:4" in dev and "config/runtime.exs:20" in dev  # when PHX_SERVER is set
    assert "config/prod.exs" not in dev and "config_env() == :prod" not in dev
    assert "password: <redacted>" in dev
    # With a filter, and an environment the config has no file for, in one line.
    assert config.invoke({"env": "test", "filter": "Repo"}).count("config/test.exs") == 1
    assert config.invoke({"env": "production"}) == (
        "error: no environment 'production' in the config; use dev, prod, test"
    )


def test_a_condition_on_the_environment_keeps_its_entries_to_it(tmp_path):
    write(tmp_path, {
        "mix.exs": "defmodule Conf.MixProject do\nend\n",
        "config/config.exs": (
            "import Config\n"
            "config :conf, :everywhere, on: true\n"
            "if config_env() in [:dev, :test], do: config(:conf, :local, on: true)\n"
            "unless config_env() == :prod do\n  config :conf, :not_prod, on: true\nend\n"
            "if Mix.env() != :test do\n  config :conf, :not_test, on: true\nend\n"
        ),
        "config/staging.exs": "import Config\nconfig :conf, :staging_only, on: true\n",
    })  # fmt: skip
    config = {tool.name: tool for tool in build_tools(tmp_path)}["mix_config"]

    def keys(env: str) -> list[str]:
        lines = config.invoke({"env": env}).splitlines()[1:]
        return [line.split()[2] for line in lines]

    assert keys("prod") == [":everywhere", ":not_test"]
    assert keys("test") == [":everywhere", ":local", ":not_prod"]
    assert keys("staging") == [":everywhere", ":not_prod", ":not_test", ":staging_only"]


def test_file_tools(tools):
    read = tools["read_file"].invoke({"path": "apps/shop/lib/shop/repo.ex"})
    assert (
        read.splitlines()[0]
        == "untrusted project content from apps/shop/lib/shop/repo.ex (lines 1-3 of 3):"
    )
    assert "    2    use Ecto.Repo" in read
    assert "<redacted>" in tools["read_file"].invoke({"path": "config/config.exs"})
    found = tools["search_code"].invoke({"regex": r"GenServer\.call"})
    assert "apps/shop/lib/shop/inventory.ex:10: GenServer.call(" in found
    assert tools["list_files"].invoke({"glob": "apps/*/mix.exs"}) == (
        "apps/shop/mix.exs\napps/shop_web/mix.exs"
    )
    module = tools["find_module"].invoke({"name": "Shop.Repo"})
    assert "    1  defmodule Shop.Repo do" in module and "    3  end" in module
    reserve = tools["find_function"].invoke({"reference": "Shop.Inventory.reserve/2"})
    assert "    9    def reserve(server \\\\ __MODULE__, product_id, count) do" in reserve


def test_modules_and_functions_are_found_by_the_short_names_people_use(tools):
    inventory = tools["find_module"].invoke({"name": "Inventory"})  # Shop.Inventory alone
    assert "    1  defmodule Shop.Inventory do" in inventory
    reserve = tools["find_function"].invoke({"reference": "reserve/2"})
    assert "    9    def reserve(server \\\\ __MODULE__, product_id, count) do" in reserve

    kanban = {tool.name: tool for tool in build_tools(KANBAN)}
    # Two modules define move_card: both are read, each with its file and lines.
    both = kanban["find_function"].invoke({"reference": "move_card"})
    assert "untrusted project content from lib/kanban/boards.ex (lines" in both
    assert "untrusted project content from lib/kanban_web/resolvers/boards.ex (lines" in both
    assert both.count("def move_card(") == 3  # one clause in Boards, two in the resolver
    # Only the one of arity 4 when the arity is given.
    four = kanban["find_function"].invoke({"reference": "move_card/4"})
    assert four.count("def move_card(") == 1 and "lib/kanban/boards.ex" in four
    # Five modules define handle_info: too many to read, so they are named.
    assert kanban["find_function"].invoke({"reference": "handle_info"}) == (
        "error: 'handle_info' is defined in Kanban.Activity.Tracker, Kanban.RateLimiter, "
        "KanbanWeb.BoardChannel, KanbanWeb.BoardLive.Index, KanbanWeb.BoardLive.Show; "
        "name it as Module.handle_info"
    )
    assert kanban["find_module"].invoke({"name": "Boards"}) == (
        "error: 'Boards' names several modules (Kanban.Boards, KanbanWeb.Resolvers.Boards); "
        "give the full name"
    )


def test_errors_come_back_as_one_line(tools):
    for name, arguments, expected in [
        ("read_file", {"path": "../../secret"}, "'..' is not allowed"),
        ("search_code", {"regex": "(unclosed"}, "bad regex"),
        ("find_module", {"name": "Shop.Nope"}, "unknown module 'Shop.Nope'"),
        ("find_function", {"reference": "Shop.Inventory.nope/1"}, "no function"),
        ("find_function", {"reference": "nonsense"}, "not a public function of any module"),
        ("find_function", {"reference": "Not a reference!"}, "expected Module.function/arity"),
    ]:
        result = tools[name].invoke(arguments)
        assert result.startswith("error: ") and expected in result and "\n" not in result


def test_a_long_module_comes_as_an_outline(tmp_path):
    helpers = "\n".join(
        f'  @doc "Helper {n}."\n  def helper_{n}(value) do\n    value + {n}\n  end\n'
        for n in range(60)
    )
    source = (
        'defmodule Big.Module do\n  @moduledoc "Many helpers."\n  alias Big.Other\n\n'
        f"{helpers}\n  defp secret_sauce(x), do: x\nend\n"
    )
    (tmp_path / "mix.exs").write_text("defmodule Big.MixProject do\nend\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "big.ex").write_text(source)
    tools = {tool.name: tool for tool in build_tools(tmp_path)}

    outline = tools["find_module"].invoke({"name": "Big.Module"})

    lines = outline.splitlines()
    assert lines[0] == (
        "untrusted project content from lib/big.ex "
        f"(module Big.Module, lines 1-{source.count(chr(10))}, outlined: it is long):"
    )
    assert "    3    alias Big.Other" in lines  # the opening lines, up to the first @doc
    assert not any("@doc" in line for line in lines)
    assert "    6-8     def helper_0(value) do" in lines
    assert any(line.endswith("defp secret_sauce(x), do: x") for line in lines)
    assert lines[-1].startswith("… read one with find_function or read_file")
    assert "value + 1" not in outline  # bodies are left out


def test_project_names_know_each_public_function_after_its_module():
    names = open_toolset(KANBAN).names
    assert {
        "KanbanWeb.BoardChannel",
        "BoardChannel",
        "join",
        "KanbanWeb.BoardChannel.join",  # a callback
        "BoardChannel.join",
        "Kanban.Boards.move_card",  # a public function
        "Boards.move_card",
    } <= names
    assert "BoardChannel.card_payload" not in names  # defp: not callable from outside


def test_project_names_know_a_module_as_an_alias_leaves_it():
    names = open_toolset(KANBAN).names
    # alias KanbanWeb.BoardLive, then BoardLive.Show: the project's code, as the tools resolve it
    assert {"KanbanWeb.BoardLive.Show", "BoardLive.Show", "BoardLive.Show.mount"} <= names

"""Project, modules and config facts on the bundled kanban example and the umbrella fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools.conftest import KANBAN, UMBRELLA
from tests.tools.mix.facts.support import line_of
from tools.mix.facts.base import Fact
from tools.mix.index import ProjectIndex


@pytest.fixture(scope="module")
def kanban(tmp_path_factory) -> ProjectIndex:
    return ProjectIndex.open(KANBAN)


@pytest.fixture(scope="module")
def umbrella() -> ProjectIndex:
    return ProjectIndex.open(UMBRELLA)


def _one(facts: list[Fact], **match) -> Fact:
    found = [f for f in facts if all(f.get(k) == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def test_kanban_project_summary_and_deps(kanban):
    facts = kanban.group("project")
    summary = _one(facts, kind="summary")
    assert (summary["app"], summary["version"], summary["elixir"]) == ("kanban", "0.4.0", "~> 1.15")
    labels = [item["label"] for item in summary["stack"]]
    assert labels[:5] == ["Phoenix", "LiveView", "Ecto", "Oban", "Absinthe"]
    assert _one(summary["stack"], label="Ecto")["adapter"] == "Postgres"

    phoenix = _one(facts, kind="dep", name="phoenix")
    assert phoenix["requirement"] == "~> 1.7.14"
    assert phoenix["locked"] == _locked_version(KANBAN, "phoenix")
    assert phoenix["line"] == line_of(KANBAN, "mix.exs", "{:phoenix, ")
    ulid = _one(facts, kind="dep", name="ex_ulid")
    assert (ulid["source"], ulid["source_value"], ulid["tag"]) == (
        "github",
        "kanban-labs/ex_ulid",
        "v0.1.0",
    )
    assert _one(facts, kind="dep", name="plug")["override"] is True
    assert _one(facts, kind="dep", name="floki")["only"] == "test"
    assert _one(facts, kind="dep", name="esbuild")["runtime"] == "Mix.env() == :dev"
    req = _one(facts, kind="dep", name="req")
    assert req["not_locked"] and req["locked"] is None


def _locked_version(root: Path, name: str) -> str:
    line = next(t for t in (root / "mix.lock").read_text().splitlines() if f'"{name}":' in t)
    return line.split('", "')[0].split(', "')[-1]


def test_umbrella_apps_in_umbrella_deps_and_lock(umbrella):
    facts = umbrella.group("project")
    summary = _one(facts, kind="summary")
    assert summary["umbrella"] and summary["umbrella_apps"] == ["shop", "shop_web"]
    assert _one(facts, kind="mix_project", app="shop")["version"] == "0.3.1"  # from @version
    assert _one(facts, kind="mix_project", app="shop_web")["in_umbrella_deps"] == ["shop"]
    assert _one(facts, kind="dep", name="money_fmt")["source"] == "path"
    assert _one(facts, kind="dep", name="heroicons")["not_locked"]
    assert _one(facts, kind="dep", name="credo")["only"] == ["dev", "test"]
    assert _one(facts, kind="locked_only", name="stale_lib")["required_by"] == []
    assert _one(facts, kind="locked_only", name="ecto")["required_by"] == ["ecto_sqlite3"]


def test_kanban_module_kinds_and_callbacks(kanban):
    modules = kanban.group("modules")
    index_live = _one(modules, name="KanbanWeb.BoardLive.Index")
    assert index_live["kind"] == "live_view"
    assert index_live["kind_via"] == "KanbanWeb.live_view"
    assert {"mount/3", "handle_params/3", "handle_event/3", "handle_info/2"} <= set(
        index_live["callbacks"]
    )
    assert _one(modules, name="Kanban.Repo")["kind"] == "repo"
    assert _one(modules, name="KanbanWeb.Router")["kind"] == "router"
    assert _one(modules, name="KanbanWeb.Presence")["kind"] == "presence"
    assert _one(modules, name="Kanban.Application")["kind"] == "application"
    worker = _one(modules, name="Kanban.Workers.WeeklyReport")
    assert worker["kind"] == "oban_worker" and worker["callbacks"] == ["perform/1"]


def test_umbrella_modules(umbrella):
    modules = umbrella.group("modules")
    inventory = _one(modules, name="Shop.Inventory")
    assert inventory["kind"] == "genserver"
    assert inventory["doc"] == "Stock levels, kept in memory."
    assert inventory["functions"] == [
        "start_link/1",
        "reserve/2",
        "reserve/3",
        "init/1",
        "handle_call/3",
    ]
    assert inventory["callbacks"] == ["init/1", "handle_call/3"]
    assert "Shop.Product" in inventory["aliases"]
    assert _one(modules, name="Shop.Inventory.Item")["line"] == 22
    assert _one(modules, name="Shop.Product")["doc"] == "A product on sale."
    assert _one(modules, name="ShopWeb.ProductLive")["kind"] == "live_view"
    # partly unparsable, still found and classified
    assert _one(modules, name="ShopWeb.PageController")["kind"] == "controller"
    assert ("apps/shop_web/lib/shop_web/controllers/page_controller.ex", 6) in umbrella.parse_errors


def test_config_values_environments_and_redaction(kanban, umbrella):
    facts = kanban.group("config")
    dev_repo = _one(facts, env="dev", key="Kanban.Repo")
    assert dev_repo["values"]["password"] == "<redacted>"
    assert dev_repo["values"]["database"] == '"kanban_dev"'
    assert dev_repo["line"] == line_of(KANBAN, "config/dev.exs", "config :kanban, Kanban.Repo")
    dev_endpoint = [f for f in facts if f["env"] == "dev" and f["key"] == "KanbanWeb.Endpoint"]
    assert any(f["values"].get("secret_key_base") == "<redacted>" for f in dev_endpoint)
    everything = repr(facts) + repr(umbrella.group("config"))
    for secret in ("Yb6FQm0V8o3k", "hV3tQm9x", "aVeryLongSecretKeyBase", "Xy12Ab34", "sk_live_"):
        assert secret not in everything

    payments = _one(umbrella.group("config"), key="Shop.Payments")
    assert payments["env"] == "runtime" and payments["condition"] == "config_env() == :prod"
    assert payments["values"]["api_key"] == 'System.get_env("PAYMENTS_API_KEY", "<redacted>")'

"""OTP facts from the fixture project in tests/fixtures/data and from inline sources."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.conftest import FIXTURES
from tests.tools.mix.facts.support import GroupUnderTest, kanban_line, only
from tools.mix.facts.base import ProjectFacts, SourceFile
from tools.mix.facts.otp import OtpFacts

GROUP = OtpFacts()
OTP = GroupUnderTest(GROUP, FIXTURES / "data")
APPLICATION = "lib/shop/application.ex"


def test_application_children_as_written_and_resolved():
    app = only(OTP.extract(APPLICATION), "application")
    assert (app["module"], app["strategy"]) == ("Shop.Application", "one_for_one")
    assert app["line"] == OTP.line(APPLICATION, "def start(")
    assert [(c["spec"], c["module"]) for c in app["children"]] == [
        ("Shop.Repo", "Shop.Repo"),
        ("{Phoenix.PubSub, name: Shop.PubSub}", "Phoenix.PubSub"),
        (
            "{Cluster.Supervisor, [topologies, [name: Shop.ClusterSupervisor]]}",
            "Cluster.Supervisor",
        ),
        ("{Registry, keys: :unique, name: Shop.CartRegistry}", "Registry"),
        ("{Task.Supervisor, name: Shop.TaskSupervisor}", "Task.Supervisor"),
        (
            "{PartitionSupervisor, child_spec: DynamicSupervisor, name: Shop.Partitions}",
            "PartitionSupervisor",
        ),
        ("Carts.Supervisor", "Shop.Carts.Supervisor"),
        ("Supervisor.child_spec({Shop.PriceCache, ttl: 60}, id: :price_cache)", "Shop.PriceCache"),
        ("{Oban, Application.fetch_env!(:shop, Oban)}", "Oban"),
        ("ShopWeb.Endpoint", "ShopWeb.Endpoint"),  # from `++ web_children()`
    ]
    assert app["children"][6]["line"] == OTP.line(APPLICATION, "Carts.Supervisor,")


def test_supervisor_init_children_and_strategy():
    supervisor = only(OTP.extract("lib/shop/carts/supervisor.ex"), "supervisor")
    assert (supervisor["behaviour"], supervisor["strategy"]) == ("Supervisor", "rest_for_one")
    assert [c["module"] for c in supervisor["children"]] == [
        "DynamicSupervisor",
        "Shop.Carts.Janitor",
    ]


def test_inline_children_map_specs_and_dynamic_supervisor():
    source = b"""
defmodule Shop.Workers.Supervisor do
  use Supervisor
  def init(_) do
    children = [%{id: :a, start: {Shop.A, :start_link, []}}, __MODULE__.B]
    Supervisor.init(children, strategy: :one_for_all)
  end
end

defmodule Shop.Rooms do
  use DynamicSupervisor
  def init(_), do: DynamicSupervisor.init(strategy: :one_for_one, max_children: 10)
end
"""
    facts = OTP.extract("lib/shop/workers/supervisor.ex", source)
    workers = only(facts, "supervisor", module="Shop.Workers.Supervisor")
    assert workers["strategy"] == "one_for_all"
    assert [c["module"] for c in workers["children"]] == ["Shop.A", "Shop.Workers.Supervisor.B"]
    rooms = only(facts, "supervisor", module="Shop.Rooms")
    assert (rooms["behaviour"], rooms["strategy"], rooms["children"]) == (
        "DynamicSupervisor",
        "one_for_one",
        [],
    )


def test_genserver_callbacks_with_message_patterns():
    rel = "lib/shop/carts/cart_server.ex"
    server = only(OTP.extract(rel), "genserver")
    assert server["options"] == {"restart": ":transient"}
    assert [(c["callback"], c["message"]) for c in server["callbacks"]] == [
        ("handle_call", ":items"),
        ("handle_call", "{:add, item}"),
        ("handle_cast", "{:remove, sku}"),
        ("handle_info", ":expire"),
    ]
    assert server["callbacks"][1]["line"] == OTP.line(rel, "def handle_call({:add")


def test_behaviour_attribute_makes_a_genserver():
    source = b"""
defmodule Shop.Ticker do
  @behaviour GenServer
  def handle_info(:tick, state), do: {:noreply, state}
end
"""
    server = only(OTP.extract("lib/shop/ticker.ex", source), "genserver")
    assert [c["message"] for c in server["callbacks"]] == [":tick"]


def test_process_api_calls_and_via_names():
    facts = OTP.project_facts()
    calls = [(f["module"], f["call"]) for f in facts if f["kind"] == "process_api"]
    assert calls == [
        ("Shop.Carts.CartServer", "DynamicSupervisor.start_child"),
        ("Shop.Carts.CartServer", "{:via, Registry, ...}"),
        ("Shop.Carts.Janitor", "Registry.select"),
        ("Shop.Carts.Janitor", "Task.Supervisor.start_child"),
        ("Shop.PresenceRegistry", "Horde.Registry.start_link"),
        ("Shop.PresenceRegistry", "Horde.Registry.init"),
    ]


def test_clustering_topologies_per_config_file_and_horde_modules():
    facts = OTP.project_facts()
    clusters = [f for f in facts if f["kind"] == "cluster"]
    assert [
        (f["file"], f["topologies"][0]["name"], f["topologies"][0]["strategy"]) for f in clusters
    ] == [
        ("config/config.exs", "shop_gossip", "Cluster.Strategy.Gossip"),
        ("config/runtime.exs", "shop_k8s", "Cluster.Strategy.Kubernetes.DNS"),
    ]
    assert clusters[1]["topologies"][0]["options"] == {
        "config": '[service: "shop-headless", application_name: "shop"]'
    }
    horde = only(facts, "horde")
    assert (horde["module"], horde["uses"]) == ("Shop.PresenceRegistry", "Horde.Registry")


def test_combine_nests_project_supervisors_under_the_application():
    tree = only(OTP.project_facts(), "tree")
    assert tree["module"] == "Shop.Application"
    carts = next(c for c in tree["children"] if c["module"] == "Shop.Carts.Supervisor")
    assert (carts["role"], carts["strategy"]) == ("supervisor", "rest_for_one")
    assert [(c["module"], c["role"]) for c in carts["children"]] == [
        ("DynamicSupervisor", None),
        ("Shop.Carts.Janitor", "genserver"),
    ]
    assert "children" not in tree["children"][0]  # Shop.Repo is not a project supervisor


def test_supervisor_listing_itself_does_not_recurse_forever():
    source = b"""
defmodule Loop.Application do
  use Application
  def start(_, _), do: Supervisor.start_link([Loop.Sup], strategy: :one_for_one)
end
defmodule Loop.Sup do
  use Supervisor
  def init(_), do: Supervisor.init([Loop.Sup], strategy: :one_for_one)
end
"""
    facts = OTP.extract("lib/loop.ex", source)
    tree = only(GROUP.combine(facts, ProjectFacts(root=".")), "tree")
    (sup,) = tree["children"]
    assert sup["children"][0]["module"] == "Loop.Sup"
    assert "children" not in sup["children"][0]


def test_wants_and_render():
    assert not GROUP.wants(SourceFile("lib/shop/repo.ex", b"use Ecto.Repo"))
    facts = OTP.project_facts()
    for fact in facts:
        text = GROUP.render(fact)
        assert "\n" not in text and text.endswith(f"{fact['file']}:{fact['line']}")
    tree = GROUP.render(only(facts, "tree"))
    assert "Shop.Carts.Supervisor (rest_for_one) -> [DynamicSupervisor, Shop.Carts.Janitor" in tree


# --- The bundled example project --------------------------------------------------------


def test_kanban_supervision_tree():
    tree = only(OTP.kanban(), "tree")
    assert tree["module"] == "Kanban.Application"
    modules = [c["module"] for c in tree["children"]]
    assert modules[:2] == ["KanbanWeb.Telemetry", "Kanban.Repo"]
    for expected in ("Registry", "DynamicSupervisor", "Task.Supervisor", "Oban", "Phoenix.PubSub"):
        assert expected in modules
    telemetry = tree["children"][0]
    assert (telemetry["role"], telemetry["strategy"]) == ("supervisor", "one_for_one")
    assert telemetry["children"][0]["spec"].startswith("{:telemetry_poller,")
    limiter = next(c for c in tree["children"] if c["module"] == "Kanban.RateLimiter")
    assert limiter["role"] == "genserver"


def test_kanban_activity_tracker_genserver_and_registry():
    rel = "lib/kanban/activity/tracker.ex"
    tracker = only(OTP.kanban(), "genserver", module="Kanban.Activity.Tracker")
    assert tracker["options"] == {"restart": ":transient"}
    assert [(c["callback"], c["message"]) for c in tracker["callbacks"]] == [
        ("handle_call", "{:recent, limit}"),
        ("handle_cast", "{:record, event}"),
        ("handle_info", ":prune"),
        ("handle_info", ":timeout"),
    ]
    via = only(OTP.kanban(), "process_api", module="Kanban.Activity.Tracker")
    assert (via["call"], via["line"]) == ("{:via, Registry, ...}", kanban_line(rel, ":via"))


def test_kanban_libcluster_topologies_per_environment():
    clusters = {f["file"]: f["topologies"] for f in OTP.kanban() if f["kind"] == "cluster"}
    assert [t["strategy"] for t in clusters["config/dev.exs"]] == ["Cluster.Strategy.Gossip"]
    assert [t["strategy"] for t in clusters["config/prod.exs"]] == [
        "Cluster.Strategy.Kubernetes.DNS"
    ]
    assert clusters["config/test.exs"] == []


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(OTP.sources), st.floats(0, 1), st.floats(0, 1))
def test_any_broken_file_still_extracts_and_renders(path: Path, start: float, end: float):
    """Dropping any slice of a real file leaves a syntax error, never an exception."""
    OTP.check_broken_file(path, start, end)

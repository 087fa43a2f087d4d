"""Oban facts from the fixture project in tests/fixtures/data and from inline sources."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.conftest import FIXTURES
from tests.tools.mix.facts.support import GroupUnderTest, of_kind
from tools.mix.facts.base import ProjectFacts, SourceFile
from tools.mix.facts.oban import ObanFacts

GROUP = ObanFacts()
OBAN = GroupUnderTest(GROUP, FIXTURES / "data")


def test_worker_options_as_written_and_default_queue():
    workers = {f["module"]: f for f in of_kind(OBAN.project_facts(), "worker")}
    mailer = workers["Shop.Workers.ReceiptMailer"]
    assert mailer["queue"] == "mailers"
    assert mailer["options"] == {
        "queue": ":mailers",
        "max_attempts": "5",
        "priority": "1",
        "unique": "[period: 300, fields: [:args, :worker]]",
        "tags": '["mail", "orders"]',
    }
    assert mailer["line"] == OBAN.line("lib/shop/workers/receipt_mailer.ex", "use Oban.Worker")
    assert workers["Shop.Workers.Cleanup"]["queue"] == "default"
    assert workers["Shop.Workers.Cleanup"]["options"] == {}


def test_config_queues_plugins_and_cron_entries():
    rel = "config/config.exs"
    (config,) = OBAN.extract(rel)
    assert (config["app"], config["instance"], config["line"]) == (
        "shop",
        "Oban",
        OBAN.line(rel, "config :shop, Oban"),
    )
    assert config["queues"] == {"default": "10", "mailers": "20"}
    assert config["options"] == {"repo": "Shop.Repo"}
    pruner, lifeline, cron = config["plugins"]
    assert (pruner["module"], pruner["options"]) == (
        "Oban.Plugins.Pruner",
        {"max_age": "60 * 60 * 24 * 7"},
    )
    assert (lifeline["module"], lifeline["options"]) == ("Oban.Plugins.Lifeline", {})
    assert [(e["schedule"], e["worker"], e["options"]) for e in cron["crontab"]] == [
        ("0 3 * * *", "Shop.Workers.Cleanup", {}),
        ("*/15 * * * *", "Shop.Workers.StockSync", {"args": "[full: false]"}),
    ]
    assert cron["crontab"][1]["line"] == OBAN.line(rel, '"*/15 * * * *"')


def test_config_per_file_without_queues():
    (config,) = OBAN.extract("config/test.exs")
    assert config["options"] == {"testing": ":manual"}
    assert "queues" not in config and "plugins" not in config


def test_other_config_keys_are_not_oban_config():
    assert (
        OBAN.extract("config/x.exs", b"import Config\nconfig :shop, Shop.Repo, pool_size: 10\n")
        == []
    )


def test_workers_with_unconfigured_queue():
    unconfigured = of_kind(OBAN.project_facts(), "unconfigured_queue")
    assert [(f["module"], f["queue"]) for f in unconfigured] == [
        ("Shop.Workers.StockSync", "inventory")
    ]


def test_dynamic_queues_silence_the_unconfigured_check():
    worker = OBAN.extract("lib/w.ex", b"defmodule W do\n  use Oban.Worker, queue: :rare\nend\n")
    config = OBAN.extract("config/runtime.exs", b"config :app, Oban, queues: queues_from_env()\n")
    assert config[0]["queues"] is None
    facts = worker + config
    assert of_kind(GROUP.combine(facts, ProjectFacts(root=".")), "unconfigured_queue") == []
    no_config = GROUP.combine(worker, ProjectFacts(root="."))
    assert [f["queue"] for f in of_kind(no_config, "unconfigured_queue")] == ["rare"]


def test_insert_call_sites_with_the_workers_they_insert():
    rel = "lib/shop/orders.ex"
    inserts = of_kind(OBAN.project_facts(), "insert")
    assert [(f["call"], f["function"], f["workers"]) for f in inserts] == [
        ("Oban.insert", "place_order/1", ["Shop.Workers.ReceiptMailer"]),
        ("Oban.insert_all", "resync_stock/1", ["Shop.Workers.StockSync"]),
        ("Oban.insert!", "cleanup_now/0", ["Shop.Workers.Cleanup"]),
    ]
    assert [f["line"] for f in inserts] == [
        OBAN.line(rel, call) for call in ("Oban.insert()", "Oban.insert_all()", "Oban.insert!(")
    ]


def test_combine_keeps_only_new_calls_of_project_workers():
    news = of_kind(OBAN.project_facts(), "new")
    assert [(f["worker"], f["module"], f["function"]) for f in news] == [
        ("Shop.Workers.ReceiptMailer", "Shop.Orders", "place_order/1"),
        ("Shop.Workers.StockSync", "Shop.Orders", "resync_stock/1"),
        ("Shop.Workers.Cleanup", "Shop.Orders", "cleanup_now/0"),
    ]
    raw = OBAN.extract("lib/shop/orders.ex")
    assert "MapSet" in [f["worker"] for f in of_kind(raw, "new")]


def test_wants_skips_files_without_oban_or_new_calls():
    assert not GROUP.wants(SourceFile("lib/shop/repo.ex", b"use Ecto.Repo, otp_app: :shop"))
    assert not GROUP.wants(SourceFile("notes.md", b"Oban.insert"))


def test_render_is_one_line_ending_with_file_and_line():
    facts = OBAN.project_facts()
    for fact in facts:
        text = GROUP.render(fact)
        assert "\n" not in text and text.endswith(f"{fact['file']}:{fact['line']}")
    rendered = "\n".join(GROUP.render(f) for f in facts)
    assert '"*/15 * * * *" -> Shop.Workers.StockSync' in rendered
    assert "queue :inventory of Shop.Workers.StockSync is not configured" in rendered


# --- The bundled example project --------------------------------------------------------


def test_kanban_workers_and_their_queues():
    workers = {
        f["module"]: (f["queue"], f["options"].get("max_attempts"))
        for f in OBAN.kanban()
        if f["kind"] == "worker"
    }
    assert workers == {
        "Kanban.Workers.DueDateReminder": ("mailers", "5"),
        "Kanban.Workers.WebhookDelivery": ("events", "10"),
        "Kanban.Workers.WeeklyReport": ("reports", "3"),
    }


def test_kanban_config_and_cron_schedule():
    (config,) = [f for f in OBAN.kanban() if f["kind"] == "config" and "queues" in f]
    assert config["file"] == "config/config.exs"
    assert config["queues"] == {"default": "10", "mailers": "20", "events": "50"}
    cron = next(p for p in config["plugins"] if p["module"] == "Oban.Plugins.Cron")
    assert [(e["schedule"], e["worker"]) for e in cron["crontab"]] == [
        ("0 * * * *", "Kanban.Workers.DueDateReminder"),
        ("0 6 * * MON", "Kanban.Workers.WeeklyReport"),
    ]
    testing = [f for f in OBAN.kanban() if f["kind"] == "config" and f["file"] == "config/test.exs"]
    assert [f["options"] for f in testing] == [{"testing": ":manual"}]


def test_kanban_weekly_report_queue_is_not_configured():
    assert [(f["module"], f["queue"]) for f in of_kind(OBAN.kanban(), "unconfigured_queue")] == [
        ("Kanban.Workers.WeeklyReport", "reports")
    ]


def test_kanban_inserts_follow_pipes_variables_and_a_workers_own_new():
    inserts = {(f["module"], f["function"]): f["workers"] for f in of_kind(OBAN.kanban(), "insert")}
    assert inserts[("Kanban.Workers.WeeklyReport", "perform/1")] == ["Kanban.Workers.WeeklyReport"]
    assert inserts[("Kanban.Workers.DueDateReminder", "perform/1")] == [
        "Kanban.Workers.DueDateReminder"
    ]
    assert ["Kanban.Workers.WebhookDelivery"] in inserts.values()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(OBAN.sources), st.floats(0, 1), st.floats(0, 1))
def test_any_broken_file_still_extracts_and_renders(path: Path, start: float, end: float):
    """Dropping any slice of a real file leaves a syntax error, never an exception."""
    OBAN.check_broken_file(path, start, end)

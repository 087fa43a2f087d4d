"""Ecto facts from the fixture project in tests/fixtures/data and from inline sources."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tools.conftest import FIXTURES
from tests.tools.mix.facts.support import GroupUnderTest, kanban_line, only
from tools.mix.facts.base import Fact, SourceFile
from tools.mix.facts.ecto import EctoFacts

GROUP = EctoFacts()
ECTO = GroupUnderTest(GROUP, FIXTURES / "data")
PRODUCT = "lib/shop/catalog/product.ex"


def test_schema_table_primary_key_and_fields():
    schema = only(ECTO.facts(PRODUCT), "schema")
    assert schema["module"] == "Shop.Catalog.Product"
    assert (schema["source"], schema["embedded"]) == ("products", False)
    assert schema["line"] == ECTO.line(PRODUCT, 'schema "products"')
    assert schema["primary_key"] == [
        {
            "name": "id",
            "type": "binary_id",
            "line": ECTO.line(PRODUCT, "@primary_key"),
            "options": {"autogenerate": "true"},
        }
    ]
    assert schema["foreign_key_type"] == "binary_id"
    assert [(f["name"], f["type"], f["options"]) for f in schema["fields"]] == [
        ("name", "string", {}),
        ("sku", "string", {}),
        ("price_cents", "integer", {"default": "0"}),
        ("status", "Ecto.Enum", {"values": "[:draft, :active, :archived]"}),
        ("tags", "{:array, :string}", {"default": "[]"}),
    ]
    assert schema["fields"][1]["line"] == ECTO.line(PRODUCT, "field :sku")
    assert schema["timestamps"] == {
        "type": "utc_datetime",
        "line": ECTO.line(PRODUCT, "timestamps("),
    }


def test_associations_resolve_aliases_and_inline_embeds():
    schema = only(ECTO.facts(PRODUCT), "schema")
    assert [(a["kind"], a["name"], a["target"]) for a in schema["assocs"]] == [
        ("belongs_to", "category", "Shop.Catalog.Category"),
        ("has_many", "reviews", "Shop.Catalog.Review"),
        ("many_to_many", "collections", "Shop.Catalog.Collection"),
    ]
    assert schema["assocs"][0]["foreign_key"] == "category_id"
    assert schema["assocs"][2]["options"] == {"join_through": '"products_collections"'}
    variants, dimensions = schema["embeds"]
    assert (variants["kind"], variants["target"]) == ("embeds_many", "Shop.Catalog.Variant")
    assert (dimensions["kind"], dimensions["target"]) == (
        "embeds_one",
        "Shop.Catalog.Product.Dimensions",
    )
    assert [f["name"] for f in dimensions["fields"]] == ["width_mm", "height_mm"]


def test_embedded_schema_without_primary_key():
    schema = only(ECTO.facts("lib/shop/catalog/variant.ex"), "schema")
    assert (schema["source"], schema["embedded"], schema["primary_key"]) == (None, True, [])
    assert schema["timestamps"] is None


def test_file_with_syntax_error_keeps_the_parts_that_parse():
    rel = "lib/shop/orders/order.ex"
    file = ECTO.parse(rel)
    assert file.first_error_line is not None
    facts = GROUP.extract(file)
    schema = only(facts, "schema")
    assert schema["primary_key"] == [{"name": "id", "type": "id"}]
    assert schema["timestamps"]["type"] == "naive_datetime"
    customer = schema["assocs"][0]
    assert customer["target"] == "Shop.Accounts.Customer"
    assert customer["foreign_key"] == "customer_id"
    changeset = only(facts, "changeset")
    assert [s["call"] for s in changeset["steps"]] == ["cast", "cast_assoc"]


def test_changeset_steps_in_pipe_order_with_fields_and_options():
    changeset = only(ECTO.facts(PRODUCT), "changeset", function="changeset/2")
    assert changeset["line"] == ECTO.line(PRODUCT, "def changeset(")
    steps = {s["call"]: s for s in changeset["steps"]}
    assert list(steps) == [
        "cast",
        "validate_required",
        "validate_length",
        "validate_format",
        "validate_number",
        "validate_inclusion",
        "cast_embed",
        "validate_no_banned_words",
        "unique_constraint",
        "foreign_key_constraint",
    ]
    assert steps["cast"]["fields"][:2] == ["name", "sku"]
    assert steps["cast"]["fields"][-1] == "category_id"
    assert steps["validate_required"]["fields"] == ["name", "sku"]
    assert steps["validate_length"]["options"] == "min: 2, max: 120"
    assert steps["validate_inclusion"]["options"] == "[:draft, :active]"
    assert steps["unique_constraint"]["line"] == ECTO.line(PRODUCT, "unique_constraint(:sku)")
    custom = steps["validate_no_banned_words"]
    assert custom["custom"] is True
    assert custom["defined_at"] == ECTO.line(PRODUCT, "defp validate_no_banned_words")
    assert "custom" not in steps["validate_length"]


def test_helper_that_only_validates_is_not_a_changeset_function():
    functions = [f["function"] for f in ECTO.facts(PRODUCT) if f["kind"] == "changeset"]
    assert functions == ["changeset/2", "archive_changeset/1"]


def test_unpiped_calls_and_module_attribute_fields():
    source = b"""
defmodule Shop.Accounts.User do
  import Ecto.Changeset
  @required ~w(email name)a

  def registration(user, attrs) do
    changeset = Ecto.Changeset.cast(user, attrs, @required ++ [:bio])
    changeset = validate_required(changeset, @required)
    unique_constraint(changeset, [:email], name: :users_email_index)
  end
end
"""
    changeset = only(ECTO.facts("lib/shop/accounts/user.ex", source), "changeset")
    assert changeset["function"] == "registration/2"
    assert [(s["call"], s["fields"], s["options"]) for s in changeset["steps"]] == [
        ("cast", ["@required ++ [:bio]"], ""),
        ("validate_required", ["email", "name"], ""),
        ("unique_constraint", ["email"], "name: :users_email_index"),
    ]


def test_repo_module():
    repo = only(ECTO.facts("lib/shop/repo.ex"), "repo")
    assert (repo["module"], repo["otp_app"], repo["adapter"]) == (
        "Shop.Repo",
        "shop",
        "Ecto.Adapters.Postgres",
    )


MIGRATIONS = sorted((ECTO.fixtures / "priv/repo/migrations").iterdir(), reverse=True)


def migrations() -> list[Fact]:
    facts = [f for p in MIGRATIONS for f in ECTO.facts(str(p.relative_to(ECTO.fixtures)))]
    return ECTO.combine(facts, ECTO.fixtures)


def test_combine_orders_migrations_by_file_name_timestamp():
    assert [(m["version"], m["name"]) for m in migrations()] == [
        ("20240115120000", "create_products"),
        ("20240301090000", "add_sku_to_products"),
        ("20240410080000", "drop_wishlists"),
    ]


def test_create_table_columns_references_and_index():
    rel = "priv/repo/migrations/20240115120000_create_products.exs"
    categories, products, index = migrations()[0]["operations"]
    assert (categories["op"], categories["object"], categories["table"]) == (
        "create",
        "table",
        "categories",
    )
    assert products["options"] == {"primary_key": "false"}
    assert [(c["op"], c.get("name"), c.get("type")) for c in products["columns"]] == [
        ("add", "id", "binary_id"),
        ("add", "name", "string"),
        ("add", "price_cents", "integer"),
        ("add", "legacy_code", "string"),
        ("add", "category_id", "references"),
        ("timestamps", None, None),
    ]
    category_id = products["columns"][4]
    assert category_id["references"] == "categories"
    assert category_id["reference_options"] == {"on_delete": ":nilify_all"}
    assert category_id["line"] == ECTO.line(rel, "add :category_id")
    assert (index["op"], index["object"], index["columns"]) == ("create", "index", ["category_id"])


def test_alter_remove_modify_unique_index_and_drop():
    alter, unique, drop = migrations()[1]["operations"]
    assert [(c["op"], c["name"], c["type"]) for c in alter["columns"]] == [
        ("add", "sku", "string"),
        ("modify", "name", "text"),
        ("remove", "legacy_code", "string"),
    ]
    assert alter["columns"][1]["options"] == {"from": ":string"}
    assert (unique["object"], unique["table"], unique["columns"]) == (
        "unique_index",
        "products",
        ["sku"],
    )
    assert (drop["op"], drop["object"]) == ("drop_if_exists", "index")


def test_helper_functions_of_a_migration_are_not_operations():
    source = b"""defmodule Shop.Repo.Migrations.Backfill do
  use Ecto.Migration

  def up, do: execute(&backfill/0)
  def down, do: :ok

  def backfill do
    repo().query!("UPDATE products SET sku = id")
  end

  def index_name, do: create(index(:products, [:sku]))
end
"""
    (migration,) = ECTO.facts("priv/repo/migrations/20240401000000_backfill.exs", source)
    assert [(op["direction"], op["op"]) for op in migration["operations"]] == [
        ("up", "execute"),
        ("down", "code"),
        ("index_name", "create"),  # a helper's real operations are still listed
    ]


def test_up_and_down_directions():
    drop, recreate = migrations()[2]["operations"]
    assert (drop["op"], drop["table"], drop["direction"]) == ("drop", "wishlists", "up")
    assert (recreate["op"], recreate["direction"]) == ("create", "down")


def test_wants_only_elixir_files_mentioning_ecto():
    assert not GROUP.wants(SourceFile("lib/shop/workers/cleanup.ex", b"use Oban.Worker"))
    assert not GROUP.wants(SourceFile("README.md", b"Ecto.Schema"))


def test_render_is_one_line_ending_with_file_and_line():
    facts = [f for p in (PRODUCT, "lib/shop/repo.ex") for f in ECTO.facts(p)] + migrations()
    for fact in facts:
        text = GROUP.render(fact)
        assert "\n" not in text
        assert text.endswith(f"{fact['file']}:{fact['line']}")
    schema = GROUP.render(only(facts, "schema"))
    assert 'schema Shop.Catalog.Product "products" pk id:binary_id' in schema
    assert "belongs_to category -> Shop.Catalog.Category" in schema
    assert "validate_no_banned_words(name) (custom)" in GROUP.render(facts[1])


# --- The bundled example project --------------------------------------------------------


def test_kanban_repo_and_schema_modules():
    repo = only(ECTO.kanban(), "repo")
    assert (repo["module"], repo["otp_app"], repo["adapter"]) == (
        "Kanban.Repo",
        "kanban",
        "Ecto.Adapters.Postgres",
    )
    schemas = {f["module"]: f["source"] for f in ECTO.kanban() if f["kind"] == "schema"}
    assert schemas == {
        "Kanban.Accounts.User": "users",
        "Kanban.Boards.Board": "boards",
        "Kanban.Boards.Card": "cards",
        "Kanban.Boards.Column": "columns",
        "Kanban.Boards.Comment": "comments",
        "Kanban.Boards.Membership": "memberships",
    }


def test_kanban_board_schema():
    rel = "lib/kanban/boards/board.ex"
    board = only(ECTO.kanban(), "schema", module="Kanban.Boards.Board")
    assert [(k["name"], k["type"]) for k in board["primary_key"]] == [("id", "binary_id")]
    assocs = {a["name"]: a for a in board["assocs"]}
    assert (assocs["owner"]["target"], assocs["owner"]["foreign_key"]) == (
        "Kanban.Accounts.User",
        "owner_id",
    )
    assert assocs["members"]["options"] == {"join_through": "Membership"}
    (labels,) = board["embeds"]
    assert (labels["kind"], labels["target"], labels["line"]) == (
        "embeds_many",
        "Kanban.Boards.Board.Label",
        kanban_line(rel, "embeds_many :labels"),
    )
    assert [f["name"] for f in labels["fields"]] == ["name", "color"]


def test_kanban_board_changeset_links_its_custom_validation():
    rel = "lib/kanban/boards/board.ex"
    changeset = only(
        ECTO.kanban(), "changeset", module="Kanban.Boards.Board", function="changeset/2"
    )
    custom = [s for s in changeset["steps"] if s.get("custom")]
    assert [(s["call"], s["defined_at"]) for s in custom] == [
        ("validate_unique_label_names", kanban_line(rel, "defp validate_unique_label_names"))
    ]


def test_kanban_migrations_in_timestamp_order_with_references():
    migrations = [f for f in ECTO.kanban() if f["kind"] == "migration"]
    versions = [m["version"] for m in migrations]
    assert versions == sorted(versions) and len(versions) == 6
    boards = next(m for m in migrations if m["name"] == "create_boards")
    owner = next(c for c in boards["operations"][0]["columns"] if c.get("name") == "owner_id")
    assert (owner["references"], owner["reference_options"]) == (
        "users",
        {"on_delete": ":nilify_all"},
    )
    oban = next(m for m in migrations if m["name"] == "add_oban_jobs_table")
    assert [(op["direction"], op["op"], op["args"]) for op in oban["operations"]] == [
        ("up", "Oban.Migration.up", "version: 12"),
        ("down", "Oban.Migration.down", "version: 1"),
    ]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ECTO.sources), st.floats(0, 1), st.floats(0, 1))
def test_any_broken_file_still_extracts_and_renders(path: Path, start: float, end: float):
    """Dropping any slice of a real file leaves a syntax error, never an exception."""
    ECTO.check_broken_file(path, start, end)

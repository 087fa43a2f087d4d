"""How fast the project index is, cold and warm, on generated realistic Phoenix projects.

    .venv/bin/python bench/index_speed.py            # both sizes
    .venv/bin/python bench/index_speed.py --only small

Generates a ~450-file 3.3 MB and a ~570-file 8.8 MB Phoenix project in a temporary directory
(contexts, schemas, LiveViews with HEEx, controllers, Oban workers, migrations, tests), then
prints files, bytes, cold (best of 3, each into an empty cache) and warm wall and CPU time,
throughput per wall and per CPU second, Elixir's own parser on the same files when Elixir is
installed, peak RSS and each fact group's share of the extraction time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tools.mix.index import ProjectIndex  # noqa: E402

SIZES = {"small": (450, 3.3e6), "large": (570, 8.8e6)}

MIX_EXS = """defmodule Shop.MixProject do
  use Mix.Project

  def project do
    [app: :shop, version: "1.2.0", elixir: "~> 1.15", deps: deps()]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:phoenix_live_view, "~> 1.0"},
      {:ecto_sql, "~> 3.10"},
      {:postgrex, ">= 0.0.0"},
      {:oban, "~> 2.18"},
      {:absinthe, "~> 1.7"}
    ]
  end
end
"""

SCHEMA = """defmodule Shop.{ctx}.{entity} do
  @moduledoc "A {entity_lower} of the {ctx_lower} context."
  use Ecto.Schema
  import Ecto.Changeset

  schema "{table}" do
    field :name, :string
    field :position, :integer, default: 0
    field :status, Ecto.Enum, values: [:draft, :active, :archived]
    belongs_to :owner, Shop.Accounts.User
    has_many :notes, Shop.{ctx}.Note
    timestamps(type: :utc_datetime)
  end

  def changeset(record, attrs \\\\ %{{}}) do
    record
    |> cast(attrs, [:name, :position, :status])
    |> validate_required([:name])
    |> validate_length(:name, max: 160)
  end
{padding}end
"""

CONTEXT = """defmodule Shop.{ctx} do
  @moduledoc "The {ctx} context."
  import Ecto.Query, warn: false
  alias Shop.Repo
  alias Shop.{ctx}.{entity}

  def list_{plural}(user) do
    from(x in {entity}, where: x.owner_id == ^user.id, order_by: x.position)
    |> Repo.all()
  end

  def get_{singular}!(id), do: Repo.get!({entity}, id)

  def create_{singular}(attrs \\\\ %{{}}) do
    %{entity}{{}}
    |> {entity}.changeset(attrs)
    |> Repo.insert()
    |> broadcast(:created)
  end

  defp broadcast({{:ok, record}} = result, event) do
    Phoenix.PubSub.broadcast(Shop.PubSub, "{plural}", {{event, record}})
    result
  end

  defp broadcast(error, _event), do: error
{padding}end
"""

LIVE = """defmodule ShopWeb.{entity}Live.Index do
  use ShopWeb, :live_view
  alias Shop.{ctx}

  @impl true
  def mount(_params, _session, socket) do
    if connected?(socket), do: Phoenix.PubSub.subscribe(Shop.PubSub, "{plural}")
    {{:ok, stream(socket, :{plural}, {ctx}.list_{plural}(socket.assigns.current_user))}}
  end

  @impl true
  def handle_event("delete", %{{"id" => id}}, socket) do
    record = {ctx}.get_{singular}!(id)
    {{:noreply, stream_delete(socket, :{plural}, record)}}
  end

  @impl true
  def handle_info({{:created, record}}, socket) do
    {{:noreply, stream_insert(socket, :{plural}, record)}}
  end
{padding}end
"""

HEEX = """<.header>
  Listing {entity}
  <:actions>
    <.link patch={{~p"/{plural}/new"}}><.button>New {entity}</.button></.link>
  </:actions>
</.header>
<.table id="{plural}" rows={{@streams.{plural}}}>
  <:col :let={{{{_id, record}}}} label="Name">{{record.name}}</:col>
  <:action :let={{{{id, record}}}}>
    <.link phx-click={{JS.push("delete", value: %{{id: record.id}}) |> hide("#" <> id)}}>
      Delete
    </.link>
  </:action>
</.table>
{padding}"""

WORKER = """defmodule Shop.Workers.{entity}Sync do
  @moduledoc "Syncs {plural} to the warehouse."
  use Oban.Worker, queue: :sync, max_attempts: 5, unique: [period: 60]

  @impl Oban.Worker
  def perform(%Oban.Job{{args: %{{"id" => id}}}}) do
    record = Shop.{ctx}.get_{singular}!(id)
    {{:ok, record}}
  end
{padding}end
"""

MIGRATION = """defmodule Shop.Repo.Migrations.Create{entity} do
  use Ecto.Migration

  def change do
    create table(:{table}) do
      add :name, :string, null: false
      add :position, :integer, default: 0
      add :owner_id, references(:users, on_delete: :delete_all)
      timestamps(type: :utc_datetime)
    end

    create index(:{table}, [:owner_id])
  end
{padding}end
"""

TEST = """defmodule Shop.{ctx}Test do
  use Shop.DataCase, async: true
  alias Shop.{ctx}

  describe "{plural}" do
    test "create_{singular}/1 with valid data" do
      assert {{:ok, record}} = {ctx}.create_{singular}(%{{name: "a"}})
      assert record.name == "a"
    end
  end
{padding}end
"""

PAD_FUNCTION = """
  @doc "Helper {n} for {singular} pipelines."
  def helper_{n}(%{{id: id}} = record, opts \\\\ []) when is_integer(id) do
    limit = Keyword.get(opts, :limit, {n})
    record
    |> Map.put(:rank, rem(id * {n}, limit + 1))
    |> Map.update(:tags, [], fn tags -> Enum.take(["x{n}" | tags], limit) end)
  end
"""
PAD_HEEX = """<div :for={{item <- @items}} id={{"item-{n}-#{{item.id}}"}} class="flex gap-2">
  <span class="font-bold">{{item.name}}</span> <.badge status={{item.status}} />
</div>
"""

TEMPLATES = [
    ("lib/shop/{ctx_path}/{entity_path}.ex", SCHEMA, PAD_FUNCTION),
    ("lib/shop/{ctx_path}.ex", CONTEXT, PAD_FUNCTION),
    ("lib/shop_web/live/{entity_path}_live/index.ex", LIVE, PAD_FUNCTION),
    ("lib/shop_web/live/{entity_path}_live/index.html.heex", HEEX, PAD_HEEX),
    ("lib/shop/workers/{entity_path}_sync.ex", WORKER, PAD_FUNCTION),
    ("priv/repo/migrations/2024{n:06d}_create_{table}.exs", MIGRATION, PAD_FUNCTION),
    ("test/shop/{ctx_path}_test.exs", TEST, PAD_FUNCTION),
]


def generate(root: Path, files: int, total_bytes: float) -> None:
    root.mkdir(parents=True)
    (root / "mix.exs").write_text(MIX_EXS)
    per_file = total_bytes / files
    for n in range(files - 1):
        path_template, template, pad = TEMPLATES[n % len(TEMPLATES)]
        group = n // len(TEMPLATES)
        names = {
            "ctx": f"Catalog{group}",
            "ctx_lower": f"catalog{group}",
            "ctx_path": f"catalog{group}",
            "entity": f"Item{group}",
            "entity_lower": f"item{group}",
            "entity_path": f"item{group}",
            "table": f"items_{group}",
            "plural": f"items_{group}",
            "singular": f"item_{group}",
            "n": n,
        }
        body = template.format(padding="", **names)
        pads = []
        size = len(body)
        k = 0
        while size < per_file:
            chunk = pad.format(**{**names, "n": k})
            pads.append(chunk)
            size += len(chunk)
            k += 1
        path = root / path_template.format(**names)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(padding="".join(pads), **names))


def _cpu() -> tuple[float, float]:
    """CPU seconds so far of this process and of its ended children (the pool's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _timed(root: Path) -> tuple[ProjectIndex, float, float, float]:
    """The index, its wall seconds, its CPU seconds and the workers' share of them."""
    wall, (own, workers) = time.perf_counter(), _cpu()
    index = ProjectIndex.open(root, fresh=True)
    own_end, workers_end = _cpu()
    workers_cpu = workers_end - workers
    return index, time.perf_counter() - wall, own_end - own + workers_cpu, workers_cpu


def _best_cold(
    root: Path, cache_root: Path, runs: int
) -> tuple[ProjectIndex, list[tuple[float, float, float]]]:
    """``runs`` cold indexes, each into an empty cache; (wall, cpu, workers' cpu) of each,
    fastest first. Other processes share the machine: the fastest is the least disturbed."""
    timings = []
    index = None
    for run in range(runs):
        os.environ["MIXCREW_CACHE_DIR"] = str(cache_root / f"cold-{run}")
        index, wall, cpu, workers_cpu = _timed(root)
        timings.append((wall, cpu, workers_cpu))
    assert index is not None
    return index, sorted(timings)


_ELIXIR_PARSE = """
files = Path.wildcard(Path.join(hd(System.argv()), "**/*.{ex,exs}"))
sources = Enum.map(files, &File.read!/1)
{micros, _} = :timer.tc(fn -> Enum.each(sources, &Code.string_to_quoted!/1) end)
IO.puts(micros)
"""


def _elixir_parse_seconds(root: Path) -> float | None:
    """Elixir's own parser (``Code.string_to_quoted!``, one core) over the generated .ex/.exs
    files, when Elixir is installed: the anchor of the cold target."""
    if shutil.which("elixir") is None:
        return None
    script = root.parent / "parse.exs"
    script.write_text(_ELIXIR_PARSE)
    done = subprocess.run(
        ["elixir", str(script), str(root)], capture_output=True, text=True, check=False
    )
    lines = done.stdout.split()
    return int(lines[-1]) / 1e6 if done.returncode == 0 and lines else None


def _warm_in_new_process(root: Path) -> float:
    """Seconds a fresh interpreter spends in ``ProjectIndex.open`` on the warm cache."""
    code = (
        "import time; from tools.mix.index import ProjectIndex; t = time.perf_counter(); "
        f"ProjectIndex.open({str(root)!r}); print(time.perf_counter() - t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[-1])


@dataclass(frozen=True)
class IndexFigures:
    """One generated project indexed cold (the fastest of a few runs) and warm."""

    name: str
    files: int
    megabytes: float
    workers_note: str
    cold_wall: float  # seconds
    cold_cpu: float  # this process and the pool's workers
    cold_workers_cpu: float
    median_wall: float  # of the cold runs
    median_cpu: float
    cold_runs: int
    warm_wall: float
    warm_cpu: float
    warm_new_process: float
    one_file_changed_wall: float
    peak_rss_mb: float
    worker_peak_rss_mb: float
    elixir_parse: float | None  # seconds, when elixir is installed
    cpu_share: dict[str, float]  # parse and each fact group, of the cold extraction
    facts: int
    problems: int

    @property
    def mb_per_second(self) -> float:
        return self.megabytes / self.cold_wall

    @property
    def mb_per_cpu_second(self) -> float:
        return self.megabytes / self.cold_cpu

    @property
    def warm_share(self) -> float:
        return self.warm_wall / self.cold_wall

    @property
    def versus_elixir(self) -> float | None:
        return self.cold_wall / self.elixir_parse if self.elixir_parse else None


def run(name: str, files: int, total_bytes: float, workers_note: str, cold_runs: int = 3):
    """Generate the project, index it, and return its figures."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "shop"
        generate(root, files, total_bytes)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        count = sum(1 for p in root.rglob("*") if p.is_file())
        cold, timings = _best_cold(root, Path(directory) / "cache", cold_runs)
        (cold_wall, cold_cpu, cold_workers_cpu), median = timings[0], timings[len(timings) // 2]
        warm, warm_wall, warm_cpu, _ = _timed(root)
        touched = next(iter(sorted(root.rglob("*.ex"))))
        touched.write_text(touched.read_text() + "\n")
        _, one_wall, _, _ = _timed(root)
        own_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        warm_new_process = _warm_in_new_process(root)  # after the RSS: not an index worker
        total = sum(cold.seconds.values()) or 1.0
        return IndexFigures(
            name=name,
            files=count,
            megabytes=size / 1e6,
            workers_note=workers_note,
            cold_wall=cold_wall,
            cold_cpu=cold_cpu,
            cold_workers_cpu=cold_workers_cpu,
            median_wall=median[0],
            median_cpu=median[1],
            cold_runs=len(timings),
            warm_wall=warm_wall,
            warm_cpu=warm_cpu,
            warm_new_process=warm_new_process,
            one_file_changed_wall=one_wall,
            peak_rss_mb=own_rss,
            worker_peak_rss_mb=child_rss,
            elixir_parse=_elixir_parse_seconds(root),
            cpu_share={group: seconds / total for group, seconds in cold.seconds.items()},
            facts=sum(len(v) for v in warm.facts.values()),
            problems=len(cold.problems),
        )


def format_figures(f: IndexFigures) -> str:
    lines = [
        f"== {f.name}: {f.files} files, {f.megabytes:.2f} MB ({f.workers_note})",
        f"cold: wall {f.cold_wall:.2f}s, cpu {f.cold_cpu:.2f}s, {f.mb_per_second:.1f} MB/s",
        f"cold, best of {f.cold_runs}: median wall {f.median_wall:.2f}s, cpu "
        f"{f.median_cpu:.2f}s; {f.mb_per_cpu_second:.1f} MB per CPU second",
        f"cold cpu of the fastest: this process {f.cold_cpu - f.cold_workers_cpu:.2f}s, "
        f"pool workers {f.cold_workers_cpu:.2f}s",
    ]
    if f.elixir_parse is not None:
        lines.append(
            f"elixir Code.string_to_quoted! on the .ex/.exs files, one core: "
            f"{f.elixir_parse:.2f}s; best cold wall is {f.versus_elixir:.2f}x that"
        )
    shares = sorted(f.cpu_share.items(), key=lambda item: -item[1])
    lines += [
        f"warm: wall {f.warm_wall * 1000:.0f} ms, cpu {f.warm_cpu * 1000:.0f} ms, "
        f"{100 * f.warm_share:.1f}% of cold; in a new process {f.warm_new_process * 1000:.0f} ms",
        f"one file changed: wall {f.one_file_changed_wall * 1000:.0f} ms",
        f"peak RSS: main {f.peak_rss_mb:.0f} MB, largest worker {f.worker_peak_rss_mb:.0f} MB",
        "cpu share: " + ", ".join(f"{group} {100 * share:.0f}%" for group, share in shares),
        f"facts: {f.facts}, problems: {f.problems}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SIZES))
    parser.add_argument("--json", action="store_true", help="one JSON object per project size")
    arguments = parser.parse_args()
    workers_note = f"{min(2, os.cpu_count() or 1)} worker processes for a cold index"
    for name, (files, total_bytes) in SIZES.items():
        if arguments.only in (None, name):
            figures = run(name, files, total_bytes, workers_note)
            print(json.dumps(asdict(figures)) if arguments.json else format_figures(figures))


if __name__ == "__main__":
    main()

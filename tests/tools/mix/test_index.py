"""The project index: hostile files, partial parses, the persistent cache."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.tools.conftest import KANBAN, UMBRELLA, write
from tools.mix import cache
from tools.mix.index import ProjectIndex
from tools.mix.project import ProjectNotFound, find_project_root, iter_source_files

MIX = """defmodule App.MixProject do
  use Mix.Project
  def project, do: [app: :app, version: "1.0.0"]
end
"""


def open_fresh(root, **options) -> ProjectIndex:
    """Open as a new process would, from the on-disk cache."""
    return ProjectIndex.open(root, fresh=True, **options)


@pytest.fixture
def hostile(tmp_path):
    root = write(
        tmp_path / "app",
        {
            "mix.exs": MIX,
            "lib/good.ex": "defmodule App.Good do\n  def ok, do: :ok\nend\n",
            "lib/broken.ex": "defmodule App.Broken do\n  def a, do: 1\n  def b(x do\nend\n",
            "lib/binary.ex": b"\x7fELF\x00\x00\x00",
            "lib/latin1.ex": b'defmodule App.Caf\xe9 do\n  @moduledoc "caf\xe9"\nend\n',
            "lib/huge.ex": "defmodule App.Huge do\n" + "  # filler\n" * 500_000 + "end\n",
            "deps/phoenix/lib/phoenix.ex": "defmodule Phoenix do\nend\n",
            "_build/dev/x.ex": "defmodule Built do\nend\n",
        },
    )
    (tmp_path / "secret.ex").write_text("defmodule Outside do\nend\n")
    os.symlink(tmp_path / "secret.ex", root / "lib" / "outside.ex")
    os.symlink(root / "lib", root / "lib" / "loop")
    return root


def test_hostile_files_never_hide_the_good_ones(hostile):
    index = ProjectIndex.open(hostile)
    names = {m["name"] for m in index.group("modules")}
    assert {"App.Good", "App.Broken", "App.MixProject"} <= names
    assert "App.Caf" in names  # a non-UTF-8 byte ends the name; it is not fatal
    assert names.isdisjoint({"Phoenix", "Built", "Outside", "App.Huge"})
    assert index.parse_errors == [("lib/broken.ex", 3), ("lib/latin1.ex", 1)]
    assert "lib/binary.ex: skipped, binary content" in index.problems
    assert any(p.startswith("lib/huge.ex: skipped") for p in index.problems)
    assert "lib/outside.ex" not in index.files


def test_cache_is_reused_and_a_changed_file_is_reparsed_alone(tmp_path):
    root = tmp_path / "umbrella"
    shutil.copytree(UMBRELLA, root)
    progress: list[tuple[int, int]] = []
    cold = open_fresh(root, on_progress=lambda done, total: progress.append((done, total)))
    assert cold.reused_files == 0 and progress[-1] == (14, 14)
    assert open_fresh(root).reused_files == 14

    product = root / "apps/shop/lib/shop/product.ex"
    product.write_text(product.read_text().replace("def changeset", "def cast_changeset"))
    changed = open_fresh(root)
    assert changed.reused_files == 13
    functions = next(m for m in changed.group("modules") if m["name"] == "Shop.Product")
    assert "cast_changeset/2" in functions["functions"]


def test_warm_and_incremental_opens_give_the_cold_facts(tmp_path):
    root = shutil.copytree(KANBAN, tmp_path / "kanban")
    cold = open_fresh(root)
    warm = open_fresh(root)
    assert warm.reused_files == len(warm.files) and _as_json(warm.facts) == _as_json(cold.facts)
    touched = root / "lib/kanban_web/live/board_live/show.ex"
    touched.write_text(touched.read_text() + "\n")
    changed = open_fresh(root)  # combine runs again over reused per-file facts
    assert changed.reused_files == len(changed.files) - 1
    assert _as_json(changed.facts) == _as_json(cold.facts)


def _as_json(facts: dict) -> str:
    return json.dumps(facts, sort_keys=True)


def test_a_corrupt_cache_is_rebuilt(tmp_path):
    root = shutil.copytree(UMBRELLA, tmp_path / "umbrella")
    open_fresh(root)
    for corrupt in (
        b"{not json",
        b'{"fingerprint": "%s", "files": []}' % cache.code_fingerprint().encode(),
    ):
        cache.cache_path(root).write_bytes(corrupt)
        index = open_fresh(root)
        assert index.reused_files == 0 and len(index.group("modules")) == 11
    assert open_fresh(root).reused_files == 14


def test_cached_facts_are_dropped_when_their_code_or_the_redaction_changes(tmp_path, monkeypatch):
    facts_code, redaction = tmp_path / "mix", tmp_path / "redact.py"
    write(facts_code, {"facts/oban.py": "RULE = 1\n"})
    write(tmp_path, {"redact.py": "SECRET_WORDS = ('password',)\n"})
    monkeypatch.setattr(cache, "_FACT_CODE", (facts_code, redaction))
    before = cache.code_fingerprint()
    redaction.write_text("SECRET_WORDS = ('password', 'pin')\n")
    after_redaction = cache.code_fingerprint()
    write(facts_code, {"facts/oban.py": "RULE = 2\n"})
    assert len({before, after_redaction, cache.code_fingerprint()}) == 3


def test_the_pool_gives_the_same_facts_as_one_process(tmp_path, monkeypatch):
    root = shutil.copytree(UMBRELLA, tmp_path / "umbrella")
    monkeypatch.setattr("tools.mix.index._POOL_MIN_BYTES", 0)
    pooled = open_fresh(root, workers=2)
    cache.cache_path(root).unlink()
    single = open_fresh(root, workers=1)
    assert pooled.facts == single.facts


def test_an_unchanged_project_is_not_opened_twice_in_one_process(tmp_path):
    root = shutil.copytree(UMBRELLA, tmp_path / "umbrella")
    first = open_fresh(root)
    assert ProjectIndex.open(root) is first
    product = root / "apps/shop/lib/shop/product.ex"
    product.write_text(product.read_text() + "\n")
    assert ProjectIndex.open(root) is not first


def test_project_discovery(tmp_path, hostile):
    assert find_project_root(UMBRELLA / "apps/shop/lib/shop/repo.ex") == UMBRELLA.resolve()
    assert find_project_root(hostile / "lib") == hostile.resolve()
    with pytest.raises(ProjectNotFound, match="no mix.exs found in"):
        find_project_root(tmp_path)
    sources = list(iter_source_files(hostile))
    assert "lib/good.ex" in sources and not any(s.startswith(("deps/", "_build/")) for s in sources)

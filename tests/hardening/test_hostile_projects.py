"""Half-broken and hostile projects: no crash, no escape, facts from whatever parses, clear
messages for the rest. Everything is generated in tmp_path; the conftest's guard fails a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli import run_cli
from tools.mix.project import ProjectNotFound, find_project_root

GOOD_MODULE = "defmodule Shop.Cart do\n  def total(items), do: Enum.sum(items)\nend\n"
MIX = "defmodule Shop.MixProject do\n  use Mix.Project\n  def project, do: [app: :shop]\nend\n"


def _tools(root: Path) -> dict:
    from tools.toolset import build_tools

    return {tool.name: tool for tool in build_tools(root)}


def _project(root: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in {"mix.exs": MIX, "lib/shop/cart.ex": GOOD_MODULE, **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


# --- where the project is ------------------------------------------------------------------


def test_a_path_that_does_not_exist(tmp_path):
    with pytest.raises(ProjectNotFound, match="no such file or directory"):
        find_project_root(tmp_path / "nope")


def test_a_directory_without_mix_exs_says_where_it_looked(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProjectNotFound) as raised:
        find_project_root(tmp_path / "empty")
    assert str(tmp_path / "empty") in str(raised.value)


def test_a_file_instead_of_a_directory_means_its_project(tmp_path):
    root = _project(tmp_path / "shop", {})
    assert find_project_root(root / "lib" / "shop" / "cart.ex") == root.resolve()
    loose = tmp_path / "loose.txt"
    loose.write_text("x")
    with pytest.raises(ProjectNotFound, match=f"no mix.exs found in {tmp_path}"):
        find_project_root(loose)


@pytest.mark.parametrize("where", ["nope", "file.txt", "no-mix"])
def test_cli_bad_project_is_one_usage_line(tmp_path, where):
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "no-mix").mkdir()
    done = run_cli("hi", "--offline", "--project", str(tmp_path / where), timeout=90)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mixcrew: --project {tmp_path / where}: ")


# --- broken and hostile files --------------------------------------------------------------


def test_broken_files_do_not_hide_the_good_ones(tmp_path):
    nested = "defmodule Deep do\n  def f, do: " + "(" * 10_000 + "1" + ")" * 10_000 + "\nend\n"
    big_line = "  def f{n}, do: {n}\n"
    generated = "defmodule Generated do\n" + "".join(
        big_line.format(n=i) for i in range(20 * 1024 * 1024 // len(big_line.format(n=99999)))
    )
    root = _project(
        tmp_path / "shop",
        {
            "mix.exs": MIX.replace("end\n", "", 1) + "  def broken(, do\n",  # syntax error
            "lib/binary.ex": b"\x7fELF\x00\x01\x02" + os.urandom(4096),
            "lib/latin1.ex": b'defmodule Latin do\n  @doc "caf\xe9"\n  def x, do: 1\nend\n',
            "lib/deep.ex": nested,
            "lib/generated.ex": generated + "end\n",
        },
    )
    tools = _tools(root)

    modules = tools["elixir_modules"].invoke({"limit": 500})
    assert "Shop.Cart" in modules and "Latin" in modules
    overview = tools["mix_project"].invoke({})
    assert "lib/binary.ex" in overview and "binary" in overview
    assert "lib/generated.ex" in overview and "over 2 MiB" in overview
    assert tools["read_file"].invoke({"path": "lib/binary.ex"}).startswith("error: ")
    assert "caf" in tools["read_file"].invoke({"path": "lib/latin1.ex"})
    big = tools["read_file"].invoke({"path": "lib/generated.ex"})
    assert "untrusted project content" in big and "more lines after 400" in big
    assert "Shop.Cart" in tools["search_code"].invoke({"regex": "defmodule Shop"})


def test_symlinks_loop_and_outside_the_root(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.ex").write_text('defmodule Outside do\n  @x "OUTSIDE-7731"\nend\n')
    root = _project(tmp_path / "shop", {})
    (root / "lib" / "loop").symlink_to(root / "lib", target_is_directory=True)
    (root / "lib" / "self").symlink_to(root / "lib" / "self")
    (root / "lib" / "escape.ex").symlink_to(outside / "secret.ex")
    (root / "lib" / "escape_dir").symlink_to(outside, target_is_directory=True)
    tools = _tools(root)

    listing = tools["list_files"].invoke({"glob": "**/*"})
    assert "escape.ex" not in listing and "OUTSIDE" not in listing
    for path in ("lib/escape.ex", "lib/escape_dir/secret.ex", "lib/self", "lib/loop/shop/cart.ex"):
        answer = tools["read_file"].invoke({"path": path})
        assert "OUTSIDE-7731" not in answer
    found = tools["search_code"].invoke({"regex": "OUTSIDE.7731", "glob": "**/*"})
    assert "OUTSIDE-7731" not in found
    assert "Shop.Cart" in tools["elixir_modules"].invoke({})


@pytest.mark.parametrize(
    "path",
    [
        "../outside/secret.ex",
        "lib/../../outside/secret.ex",
        "/etc/passwd",
        "%2e%2e/outside/secret.ex",
        "lib%2fshop%2fcart.ex",
        "lib/shop/cart.ex\0.txt",
        "C:\\Windows\\win.ini",
        "~/.bashrc",
    ],
)
def test_tool_arguments_cannot_escape(tmp_path, path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.ex").write_text("OUTSIDE-7731")
    tools = _tools(_project(tmp_path / "shop", {}))
    answer = tools["read_file"].invoke({"path": path})
    assert answer.startswith("error: ") and "OUTSIDE-7731" not in answer and "\n" not in answer
    for glob in (path, "../**/*"):
        listed = tools["list_files"].invoke({"glob": glob})
        assert listed.startswith(("error: ", "no files match")), listed


def test_an_umbrella_with_200_apps(tmp_path):
    files = {"mix.exs": 'defmodule U.MixProject do\n  def project, do: [apps_path: "apps"]\nend\n'}
    for i in range(200):
        files[f"apps/app{i}/mix.exs"] = MIX.replace("Shop", f"App{i}").replace(":shop", f":app{i}")
        files[f"apps/app{i}/lib/app{i}.ex"] = f"defmodule App{i} do\n  def hi, do: :hi\nend\n"
    root = _project(tmp_path / "umbrella", files)

    assert find_project_root(root / "apps" / "app7" / "lib") == root.resolve()
    modules = _tools(root)["elixir_modules"]
    everything = modules.invoke({"limit": 500})
    assert "(402 matching)" in everything  # 200 apps + their 200 MixProjects + 2 at the root
    assert "output is capped" in everything  # bounded, not 400 modules in one answer
    assert "apps/app199/lib/app199.ex" in modules.invoke({"filter": "App199"})


def test_a_catastrophic_regex_from_the_model_ends_with_a_clear_error(tmp_path):
    """``(a|aa)+$`` against a long run of a's backtracks for ever; the search is bounded."""
    root = _project(tmp_path / "shop", {"lib/shop/noise.ex": "# " + "a" * 60 + "!\n"})
    search = _tools(root)["search_code"]
    answer = search.invoke({"regex": "(a|aa)+$", "glob": "**/*.ex"})
    assert answer.startswith("error: regex '(a|aa)+$' took over 5s")
    assert "Shop.Cart" not in answer
    found = search.invoke({"regex": r"Enum\.sum", "glob": "**/*.ex"})
    assert "lib/shop/cart.ex:2:" in found

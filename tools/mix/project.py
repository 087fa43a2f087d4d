"""Finding a mix project and the source files worth reading in it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Build output, dependencies, editor and tool state: never project source.
SKIPPED_DIRS = frozenset(
    {"_build", "deps", "node_modules", ".elixir_ls", ".lexical", ".git", "cover", ".hex"}
)
SKIPPED_PATHS = ("priv/static",)
SOURCE_SUFFIXES = (".ex", ".exs", ".heex")


class ProjectNotFound(ValueError):
    """No mix project at or above the given path."""


def find_project_root(path: Path | str) -> Path:
    """The mix root for ``path`` (a file or directory inside a project).

    From inside an umbrella app (``apps/web/lib/...``) this is the umbrella root, since the
    apps share its config and mix.lock.
    """
    start = Path(path).expanduser().resolve()
    if not start.exists():
        raise ProjectNotFound(f"{start}: no such file or directory")
    directory = start if start.is_dir() else start.parent
    candidates = [d for d in (directory, *directory.parents) if (d / "mix.exs").is_file()]
    if not candidates:
        raise ProjectNotFound(f"no mix.exs found in {directory} or any parent directory")
    root = candidates[0]
    if root.parent.name == "apps" and _is_umbrella(root.parent.parent):
        return root.parent.parent
    return root


def _is_umbrella(directory: Path) -> bool:
    mix_file = directory / "mix.exs"
    return mix_file.is_file() and b"apps_path" in mix_file.read_bytes()


def _skipped(relative_dir: str, name: str) -> bool:
    if name in SKIPPED_DIRS:
        return True
    path = f"{relative_dir}/{name}" if relative_dir else name
    return any(path == p or path.endswith("/" + p) for p in SKIPPED_PATHS)


def iter_files(root: Path) -> Iterator[str]:
    """Every file under ``root`` (relative POSIX paths, sorted per directory) outside build,
    dependency and tool directories. Directory symlinks are not followed, so a symlink loop
    cannot hang the walk; file symlinks are kept only when they stay inside the root."""
    resolved_root = root.resolve()
    yield from _files_under(str(resolved_root), "", resolved_root)


def _files_under(directory: str, relative_dir: str, root: Path) -> Iterator[str]:
    # os.scandir tells files, directories and symlinks apart without a system call per file.
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    subdirectories = []
    for entry in entries:
        relative = f"{relative_dir}/{entry.name}" if relative_dir else entry.name
        if entry.is_symlink():
            # os.path.isfile is False (not an error) for a loop or a dangling link.
            if os.path.isfile(entry.path) and _inside(Path(entry.path), root):
                yield relative
        elif entry.is_dir(follow_symlinks=False):
            if not _skipped(relative_dir, entry.name):
                subdirectories.append((entry.path, relative))
        else:
            yield relative
    for path, relative in subdirectories:
        yield from _files_under(path, relative, root)


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def iter_source_files(root: Path) -> Iterator[str]:
    """Elixir and HEEx sources plus every ``mix.lock``: the files fact groups read."""
    for relative in iter_files(root):
        if relative.endswith(SOURCE_SUFFIXES) or relative.endswith("mix.lock"):
            yield relative

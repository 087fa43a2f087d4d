"""The project index: every source file parsed once, every fact group's facts, cached.

Per-file facts are cached by path + mtime + size, so a warm open only re-reads changed files,
then each group's ``combine`` runs over all files' facts (it is cheap, so only per-file facts
are cached). A cold index of a large project is shared between this process and forked
workers (tree-sitter and the extractors are CPU-bound; only facts travel back, never trees).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tools.mix import cache
from tools.mix.facts import ALL_GROUPS
from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import parse_source
from tools.mix.project import iter_source_files

MAX_INDEXED_BYTES = 2 * 1024 * 1024  # larger sources are generated data, not code to explain
_POOL_MIN_BYTES = 1024 * 1024  # below this a process pool costs more than it saves
_BATCH_FILES = 16

ProgressCallback = Callable[[int, int], None]  # (files done, total files)


# The last index opened per project root in this process: asking again when no source file's
# mtime or size changed returns it as it is, without reloading the cache or combining again.
_RECENT: dict[Path, ProjectIndex] = {}


@dataclass
class FileFacts:
    """One file's facts per group, with what went wrong reading it."""

    path: str
    mtime_ns: int
    size: int
    facts: dict[str, list[Fact]] = field(default_factory=dict)
    first_error_line: int | None = None  # syntax error: facts are partial
    problems: list[str] = field(default_factory=list)  # skipped file, failing extractor
    seconds: dict[str, float] = field(default_factory=dict)  # "parse" and per group; not cached

    def cached(self) -> dict:
        """The fields the cache keeps (as they are, not copied: the cache only serialises)."""
        return {name: value for name, value in vars(self).items() if name != "seconds"}


@dataclass
class ProjectIndex:
    root: Path
    files: dict[str, FileFacts]
    facts: dict[str, list[Fact]]  # combined, per group name
    problems: list[str] = field(default_factory=list)  # "path: problem" and failing combines
    seconds: dict[str, float] = field(default_factory=dict)  # parse, each group, combine
    reused_files: int = 0  # files whose facts came from the cache
    stats: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)  # mtime, size

    @classmethod
    def open(
        cls,
        root: Path | str,
        on_progress: ProgressCallback | None = None,
        workers: int | None = None,
        fresh: bool = False,
    ) -> ProjectIndex:
        """Index the project at ``root``: cached per-file facts are reused for unchanged files
        (a warm open re-reads no source), then every group's ``combine`` runs (milliseconds).
        Unless ``fresh`` (open as a new process would), an unchanged project returns the index
        this process opened last."""
        root = Path(root).resolve()
        stats = _stat_sources(root)
        recent = _RECENT.get(root)
        if recent is not None and recent.stats == stats and not fresh:
            return recent  # nothing changed since this process last opened it
        cache_file = cache.cache_path(root)
        fingerprint = cache.code_fingerprint()
        old = _cached_files(cache.load(cache_file, fingerprint))
        files, reused = _refresh(root, stats, old, on_progress, workers)
        index = cls(root=root, files=files, facts={}, reused_files=reused, stats=stats)
        index._combine()
        if reused != len(files) or len(old) != len(files):
            entries = {path: entry.cached() for path, entry in files.items()}
            cache.save(cache_file, {"fingerprint": fingerprint, "files": entries})
        _RECENT[root] = index
        return index

    def group(self, name: str) -> list[Fact]:
        return self.facts.get(name, [])

    @property
    def parse_errors(self) -> list[tuple[str, int]]:
        """(path, line of the first syntax error) for each partly unparsable file."""
        return [
            (path, entry.first_error_line)
            for path, entry in sorted(self.files.items())
            if entry.first_error_line is not None
        ]

    def _combine(self) -> None:
        project = ProjectFacts(root=str(self.root))
        for group in ALL_GROUPS:
            project.by_group[group.name] = [
                fact for entry in self.files.values() for fact in entry.facts.get(group.name, [])
            ]
        for entry in self.files.values():
            for name, seconds in entry.seconds.items():
                self.seconds[name] = self.seconds.get(name, 0.0) + seconds
            self.problems.extend(f"{entry.path}: {problem}" for problem in entry.problems)
        for group in ALL_GROUPS:
            started = time.process_time()
            try:
                self.facts[group.name] = group.combine(project.group(group.name), project)
            except Exception as error:  # one broken group must not hide the others
                self.facts[group.name] = project.group(group.name)
                self.problems.append(f"{group.name}: combine failed: {error!r}")
            self.seconds[group.name] = (
                self.seconds.get(group.name, 0.0) + time.process_time() - started
            )


def _cached_files(cached: dict | None) -> dict[str, FileFacts]:
    """The cache's per-file facts; none when it is missing or not in the expected shape."""
    try:
        return {path: FileFacts(**entry) for path, entry in (cached or {})["files"].items()}
    except (KeyError, TypeError, AttributeError):
        return {}


def _stat_sources(root: Path) -> dict[str, tuple[int, int]]:
    stats = {}
    for relative in iter_source_files(root):
        try:
            stat = os.stat(os.path.join(root, relative))
        except OSError:  # vanished, or a dangling symlink
            continue
        stats[relative] = (stat.st_mtime_ns, stat.st_size)
    return stats


def _refresh(
    root: Path,
    stats: dict[str, tuple[int, int]],
    old: dict[str, FileFacts],
    on_progress: ProgressCallback | None,
    workers: int | None,
) -> tuple[dict[str, FileFacts], int]:
    """Facts for every file: reused from ``old`` when unchanged, else extracted again."""
    files: dict[str, FileFacts] = {}
    stale: list[str] = []
    for path, (mtime_ns, size) in stats.items():
        previous = old.get(path)
        if previous and (previous.mtime_ns, previous.size) == (mtime_ns, size):
            files[path] = previous
        else:
            stale.append(path)
    reused, total = len(files), len(stats)
    if on_progress:
        on_progress(reused, total)
    for entry in _extract_all(root, stale, stats, workers):
        files[entry.path] = entry
        if on_progress:
            on_progress(len(files), total)
    return dict(sorted(files.items())), reused


def _extract_all(
    root: Path, paths: list[str], stats: dict[str, tuple[int, int]], workers: int | None
):
    stale_bytes = sum(stats[path][1] for path in paths)
    workers = workers or min(2, os.cpu_count() or 1)
    # Forking a process in which other threads run (a graph node, a server) can leave the
    # child waiting forever on a lock one of them held: such callers index in-process.
    if workers < 2 or stale_bytes < _POOL_MIN_BYTES or threading.active_count() > 1:
        for path in paths:
            yield extract_file(root, path)
        return
    # Big files first so no process is left with a long tail. The pool's forked workers take
    # batches from the front while this process, instead of waiting, takes back the batches
    # from the back that no worker has started yet.
    ordered = sorted(paths, key=lambda path: -stats[path][1])
    batches = [ordered[i : i + _BATCH_FILES] for i in range(0, len(ordered), _BATCH_FILES)]
    with ProcessPoolExecutor(max_workers=workers - 1, mp_context=_fork_context()) as pool:
        futures = [pool.submit(_extract_batch, root, batch) for batch in batches]
        for batch, future in zip(reversed(batches), reversed(futures), strict=True):
            if future.cancel():
                yield from _extract_batch(root, batch)
        for future in futures:
            if not future.cancelled():
                yield from future.result()


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """Forked workers start at once with everything imported; elsewhere the default."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _extract_batch(root: Path, paths: list[str]) -> list[FileFacts]:
    return [extract_file(root, path) for path in paths]


def extract_file(root: Path, path: str) -> FileFacts:
    """Parse one file and run every group that wants it. Never raises for a bad file."""
    try:
        with open(os.path.join(root, path), "rb") as handle:  # plain os calls: pathlib costs more
            stat = os.fstat(handle.fileno())
            entry = FileFacts(path=path, mtime_ns=stat.st_mtime_ns, size=stat.st_size)
            if stat.st_size > MAX_INDEXED_BYTES:
                entry.problems.append(f"skipped, {stat.st_size} bytes is over 2 MiB")
                return entry
            source = handle.read()
    except OSError as error:
        return FileFacts(path=path, mtime_ns=0, size=0, problems=[f"unreadable: {error}"])
    if b"\0" in source[:8192]:
        entry.problems.append("skipped, binary content")
        return entry
    file = SourceFile(path=path, source=source)
    groups = [group for group in ALL_GROUPS if group.wants(file)]
    if not groups:
        return entry
    started = time.process_time()
    parsed: ParsedFile = parse_source(path, source)
    entry.seconds["parse"] = time.process_time() - started
    entry.first_error_line = parsed.first_error_line
    for group in groups:
        started = time.process_time()
        try:
            entry.facts[group.name] = group.extract(parsed)
        except Exception as error:  # a bug in one extractor must not lose the other facts
            entry.problems.append(f"{group.name}: extract failed: {error!r}")
        entry.seconds[group.name] = time.process_time() - started
    return entry

"""What the fact-group tests share: one group read from its fixture project and from kanban."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.tools.conftest import KANBAN
from tools.mix.facts.base import Fact, FactGroup, ParsedFile, ProjectFacts
from tools.mix.parse import parse_source
from tools.mix.project import iter_source_files


def line_of(root: Path, relative: str, snippet: str) -> int:
    """The 1-based line of the first occurrence of ``snippet`` in ``root / relative``."""
    lines = (root / relative).read_text().splitlines()
    return next(number for number, text in enumerate(lines, 1) if snippet in text)


def kanban_line(relative: str, snippet: str) -> int:
    return line_of(KANBAN, relative, snippet)


def of_kind(facts: list[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f["kind"] == kind]


def only(facts: list[Fact], kind: str, **match: object) -> Fact:
    """The one fact of ``kind`` whose keys equal ``match``; fails unless there is exactly one."""
    found = [f for f in of_kind(facts, kind) if all(f[k] == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


@dataclass(frozen=True)
class GroupUnderTest:
    """A fact group read the way the index reads it, from files under ``fixtures`` or kanban."""

    group: FactGroup
    fixtures: Path

    @property
    def sources(self) -> list[Path]:
        """Every Elixir source of the fixture project, in path order."""
        return sorted(self.fixtures.rglob("*.ex*"))

    def line(self, relative: str, snippet: str) -> int:
        return line_of(self.fixtures, relative, snippet)

    def parse(
        self, relative: str, source: bytes | None = None, root: Path | None = None
    ) -> ParsedFile:
        """``relative`` as ``source``, or as read from ``root`` (the fixtures by default)."""
        if source is None:
            source = ((root or self.fixtures) / relative).read_bytes()
        return parse_source(relative, source)

    def extract(
        self, relative: str, source: bytes | None = None, root: Path | None = None
    ) -> list[Fact]:
        """The group's facts of one file; none if the group does not want it."""
        file = self.parse(relative, source, root)
        return self.group.extract(file) if self.group.wants(file) else []

    def facts(
        self, relative: str, source: bytes | None = None, root: Path | None = None
    ) -> list[Fact]:
        """The group's facts of one file, which the group must want."""
        file = self.parse(relative, source, root)
        assert self.group.wants(file)
        return self.group.extract(file)

    def combine(self, facts: list[Fact], root: Path) -> list[Fact]:
        project = ProjectFacts(root=str(root), by_group={self.group.name: facts})
        return self.group.combine(facts, project)

    def project_facts(self) -> list[Fact]:
        """The combined facts of every fixture source the group wants."""
        relatives = [str(path.relative_to(self.fixtures)) for path in self.sources]
        facts = [fact for relative in relatives for fact in self.extract(relative)]
        return self.combine(facts, self.fixtures)

    def kanban(self) -> list[Fact]:
        """The combined facts of the bundled kanban example (read once per group)."""
        return _kanban_facts(self.group)

    def check_broken_file(self, path: Path, start: float, end: float) -> None:
        """Drop the slice between fractions ``start`` and ``end`` of a fixture file: extract,
        combine and render still work and every rendered fact ends with its file and line."""
        source = path.read_bytes()
        cut_from, cut_to = sorted((int(start * len(source)), int(end * len(source))))
        rel = str(path.relative_to(self.fixtures))
        facts = self.group.extract(parse_source(rel, source[:cut_from] + source[cut_to:]))
        for fact in self.group.combine(facts, ProjectFacts(root=str(self.fixtures))):
            assert self.group.render(fact).endswith(f"{fact['file']}:{fact['line']}")


@cache
def _kanban_facts(group: FactGroup) -> list[Fact]:
    files = [parse_source(rel, (KANBAN / rel).read_bytes()) for rel in iter_source_files(KANBAN)]
    facts = [fact for file in files if group.wants(file) for fact in group.extract(file)]
    return group.combine(facts, ProjectFacts(root=str(KANBAN), by_group={group.name: facts}))

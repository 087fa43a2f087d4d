"""Agent files: Markdown with YAML frontmatter (the Claude Code subagent format).

A file looks like::

    ---
    name: golang-pro
    description: Use when building Go applications ... <example>...</example>
    tools: Read, Grep          # optional: omitted = every tool, empty or [] = none
    model: sonnet              # optional
    ---
    You are a senior Go developer ...   (the system prompt)

Real collections are messy, so loading is lenient where it can be (BOM, CRLF, literal ``\\n``
escapes, unquoted ``: `` inside a description, closing ``---`` of any length) and strict where it
must be: a bad file yields one ``"<path>: <problem>"`` line and is skipped, never hiding the rest.
A file read leniently where that may change its meaning (a YAML list, mapping or quote opened and
never closed) still loads, with one such line as a warning.
Only the first frontmatter block counts; nothing in the body grants tools.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from graph.messages import shorten

MAX_FILE_BYTES = 1024 * 1024
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
MAX_YAML_NODES = 10_000
REPO_ROOT = Path(__file__).resolve().parent.parent
_SKIPPED_FILE_NAMES = {"readme.md", "license.md", "licence.md"}
RESERVED_NAMES = {"supervisor"}  # node names the graph itself uses
_KNOWN_KEYS = {"name", "description", "tools", "model", "color"}
_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_FRONTMATTER_OPEN = re.compile(r"^---[ \t]*$")
_FRONTMATTER_CLOSE = re.compile(r"^-{3,}[ \t]*$")
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$")
_EXAMPLE_BLOCK = re.compile(r"<example>(.*?)</example>", re.DOTALL | re.IGNORECASE)
_EXAMPLES_LEAD_IN = re.compile(r"\b(?:for\s+)?examples?\s*:\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    """One ``<example>`` block of a description."""

    context: str
    user: str
    assistant: str
    commentary: str


@dataclass(frozen=True)
class AgentSpec:
    """One agent as declared by its file."""

    name: str
    description: str
    summary: str
    examples: tuple[Example, ...]
    body: str
    path: Path
    tools: tuple[str, ...] | None = None
    model: str | None = None
    color: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # What reading it leniently may have got wrong, one line each (the loader reports them).
    warnings: tuple[str, ...] = ()


class AgentFileError(ValueError):
    """A file that cannot be an agent; ``str(error)`` is ``"<path>: <problem>"`` on one line."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = " ".join(problem.split())
        super().__init__(f"{path}: {self.problem}")


@dataclass
class AgentLoadReport:
    """The agents that loaded (by name, sorted) and one line per skipped file or override."""

    agents: dict[str, AgentSpec]
    problems: list[str]
    warnings: list[str]


# --- reading -------------------------------------------------------------------------------


def parse_agent_file(path: Path) -> AgentSpec:
    """Read and parse one agent file; any problem raises :class:`AgentFileError`."""
    try:
        info = path.stat()
    except OSError as error:
        raise AgentFileError(path, f"cannot read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise AgentFileError(path, "not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise AgentFileError(path, f"file too large ({info.st_size} bytes, limit 1 MiB)")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise AgentFileError(path, f"cannot read ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise AgentFileError(path, "file too large (limit 1 MiB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AgentFileError(path, f"not UTF-8 (invalid byte at offset {error.start})") from None
    return parse_agent_text(text, path)


def parse_agent_text(text: str, path: Path) -> AgentSpec:
    """Parse the text of one agent file; ``path`` is only used to name it."""
    frontmatter, body = _split_frontmatter(text, path)
    fields, warnings = _parse_frontmatter(frontmatter, path)
    name = _required_string(fields, "name", path)
    if not _NAME_PATTERN.match(name):
        raise AgentFileError(path, f"invalid agent name {name!r} (use letters, digits, '-', '_')")
    if name.lower() in RESERVED_NAMES:
        raise AgentFileError(path, f"agent name {name!r} is reserved for the graph's own node")
    description = _required_string(fields, "description", path).replace("\\n", "\n")
    if not body:
        raise AgentFileError(path, "empty body (the system prompt after the frontmatter)")
    return AgentSpec(
        name=name,
        description=description,
        summary=_summary(description),
        examples=_examples(description),
        body=body,
        path=path,
        tools=_tools(fields, path),
        model=_optional_string(fields, "model"),
        color=_optional_string(fields, "color"),
        extra=MappingProxyType({k: v for k, v in fields.items() if k not in _KNOWN_KEYS}),
        warnings=tuple(warnings),
    )


def _split_frontmatter(text: str, path: Path) -> tuple[str, str]:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not _FRONTMATTER_OPEN.match(lines[0]):
        raise AgentFileError(path, "no frontmatter (the file must start with a '---' line)")
    for index in range(1, len(lines)):
        if _FRONTMATTER_CLOSE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip()
    raise AgentFileError(path, "frontmatter is not closed (no second '---' line)")


# --- frontmatter ---------------------------------------------------------------------------


class _YamlBomb(Exception):
    pass


def _safe_yaml(text: str) -> Any:
    """``yaml.safe_load`` that refuses alias expansion blow-ups before building any value.

    Aliases make a small document stand for a huge one ("billion laughs"); whatever later walks
    the value (printing it, checkpointing state) would pay for every copy. So the node graph is
    measured as if expanded, and refused above :data:`MAX_YAML_NODES`.
    """
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, {}, set())
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_nodes:
        raise _YamlBomb("a YAML alias refers to itself")
    open_nodes.add(id(node))
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, sizes, open_nodes)
            size += _expanded_size(value, sizes, open_nodes)
    open_nodes.discard(id(node))
    sizes[id(node)] = size
    if size > MAX_YAML_NODES:
        raise _YamlBomb(f"YAML aliases expand to over {MAX_YAML_NODES} values (refused)")
    return size


def _parse_frontmatter(frontmatter: str, path: Path) -> tuple[dict[str, Any], list[str]]:
    """Strict YAML first; on a syntax error read top-level ``key: value`` lines instead.

    Also returns a warning for each value the line reader may have read otherwise than meant.
    """
    warnings: list[str] = []
    try:
        loaded = _safe_yaml(frontmatter)
    except _YamlBomb as error:
        raise AgentFileError(path, f"frontmatter refused: {error}") from None
    except RecursionError:
        raise AgentFileError(path, "frontmatter refused: YAML nested too deeply") from None
    except yaml.YAMLError:
        lines = _lenient_lines(frontmatter)
        if not lines:
            raise AgentFileError(
                path, "frontmatter is neither YAML nor 'key: value' lines"
            ) from None
        loaded = {key: _lenient_value(parts) for key, parts in lines.items()}
        warnings = [w for key, parts in lines.items() if (w := _unclosed(key, parts))]
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise AgentFileError(path, f"frontmatter is not a mapping (got a {type(loaded).__name__})")
    return {str(key): value for key, value in loaded.items()}, warnings


def _lenient_lines(frontmatter: str) -> dict[str, list[str]]:
    """Top-level ``key: value`` lines; indented lines continue the previous value.

    This is how Claude Code itself reads descriptions such as the seed's, which hold unquoted
    ``: `` that strict YAML rejects.
    """
    raw: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in frontmatter.split("\n"):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            current = raw.setdefault(match.group(1), [])
            current.clear()
            current.append(match.group(2) or "")
        elif current is not None and line[:1] in (" ", "\t"):
            current.append(line.strip())
    return raw


_CLOSERS = {
    "[": ("]", "a list"),
    "{": ("}", "a mapping"),
    '"': ('"', "a quoted string"),
    "'": ("'", "a quoted string"),
}
SHOWN_VALUE_CHARS = 40


def _unclosed(key: str, parts: list[str]) -> str | None:
    """A warning when a value opens a YAML list, mapping or quote it never closes: the line
    reader keeps it as text, which is not what the file meant (an unquoted ``: `` is)."""
    text = " ".join(p for p in parts if p).strip()
    if not text or text[0] not in _CLOSERS:
        return None
    closer, what = _CLOSERS[text[0]]
    if closer in text[1:]:
        return None
    return (
        f"invalid YAML: field '{key}' opens {what} with {text[0]!r} and never closes it; "
        f"read as the text {shorten(text, SHOWN_VALUE_CHARS)!r}"
    )


def _lenient_value(parts: list[str]) -> Any:
    first, rest = parts[0].strip(), [p for p in parts[1:] if p]
    if first in ("|", ">", "|-", ">-") and rest:
        return ("\n" if first.startswith("|") else " ").join(rest)
    if rest and all(p.startswith("- ") for p in rest) and not first:
        return [p[2:].strip() for p in rest]
    text = " ".join([first, *rest]).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text.startswith("[") and text.endswith("]"):
        return [item.strip().strip("\"'") for item in text[1:-1].split(",") if item.strip()]
    return text or None


def _required_string(fields: Mapping[str, Any], key: str, path: Path) -> str:
    value = fields.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise AgentFileError(path, f"missing required field '{key}'")
    if not isinstance(value, str):
        raise AgentFileError(path, f"field '{key}' must be text, got a {type(value).__name__}")
    return value.strip()


def _optional_string(fields: Mapping[str, Any], key: str) -> str | None:
    value = fields.get(key)
    if value is None or isinstance(value, (list, dict)):
        return None
    return str(value).strip() or None


def _tools(fields: Mapping[str, Any], path: Path) -> tuple[str, ...] | None:
    if "tools" not in fields:
        return None
    value = fields["tools"]
    if value is None:
        return ()
    if isinstance(value, str):  # "Read, Grep", or a list the lenient reader left as text
        value = value.strip().removeprefix("[").removesuffix("]").split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise AgentFileError(path, "field 'tools' must be a comma-separated string or a list")
    names = (item.strip().strip("'\"").strip() for item in value)
    return tuple(name for name in names if name)


# --- description -----------------------------------------------------------------------------


def _summary(description: str) -> str:
    without_examples = _EXAMPLE_BLOCK.sub(" ", description)
    collapsed = " ".join(without_examples.split())
    return _EXAMPLES_LEAD_IN.sub("", collapsed).strip()


def _examples(description: str) -> tuple[Example, ...]:
    return tuple(_example(block) for block in _EXAMPLE_BLOCK.findall(description))


_EXAMPLE_PART = re.compile(
    r"(?P<label>context|user|assistant)\s*:\s*(?P<text>.*?)"
    r"(?=(?<![\w-])(?:context|user|assistant)\s*:|\Z)",
    re.DOTALL | re.IGNORECASE,
)
_COMMENTARY = re.compile(r"<commentary>(.*?)(?:</commentary>|\Z)", re.DOTALL | re.IGNORECASE)


def _example(block: str) -> Example:
    """Context / first user turn / first assistant turn / commentary of one example block."""
    parts: dict[str, str] = {}
    for match in _EXAMPLE_PART.finditer(block.split("<commentary>")[0]):
        parts.setdefault(match.group("label").lower(), _clean(match.group("text")))
    commentary = _COMMENTARY.search(block)
    return Example(
        context=parts.get("context", ""),
        user=parts.get("user", ""),
        assistant=parts.get("assistant", ""),
        commentary=_clean(commentary.group(1)) if commentary else "",
    )


def _clean(text: str) -> str:
    text = " ".join(text.split())
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text.strip()


# --- directories -----------------------------------------------------------------------------


def load_agents(dirs: Sequence[Path]) -> AgentLoadReport:
    """Load ``*.md`` from each directory in turn; a later directory wins on a duplicate name."""
    agents: dict[str, AgentSpec] = {}
    problems: list[str] = []
    warnings: list[str] = []
    for directory in dirs:
        loaded_here: dict[str, AgentSpec] = {}
        for path in _agent_files(Path(directory), problems):
            try:
                spec = parse_agent_file(path)
            except AgentFileError as error:
                problems.append(str(error))
                continue
            if spec.name in loaded_here:
                first = loaded_here[spec.name].path
                problems.append(f"{path}: duplicate agent name '{spec.name}' (also in {first})")
                continue
            loaded_here[spec.name] = spec
            warnings.extend(f"{path}: {warning}" for warning in spec.warnings)
        for name, spec in loaded_here.items():
            if name in agents:
                warnings.append(f"{spec.path}: agent '{name}' overrides {agents[name].path}")
            agents[name] = spec
    return AgentLoadReport(dict(sorted(agents.items())), problems, warnings)


def _agent_files(directory: Path, problems: list[str]) -> list[Path]:
    if not directory.is_dir():
        problems.append(f"{directory}: agents directory not found")
        return []
    return sorted(
        path
        for path in directory.glob("*.md")
        if path.name.lower() not in _SKIPPED_FILE_NAMES and not path.name.startswith(".")
    )


def default_agent_dirs() -> list[Path]:
    """``$MIXCREW_AGENTS`` (``os.pathsep``-separated) if set, else the repository's ``agents/``."""
    configured = os.environ.get("MIXCREW_AGENTS", "")
    dirs = [Path(part).expanduser() for part in configured.split(os.pathsep) if part.strip()]
    return dirs or [REPO_ROOT / "agents"]

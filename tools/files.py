"""Generic read-only file tools: list, read, search, and source of a module or function.

Each returns text for a language model; anything that comes from project files starts with
an ``untrusted project content`` line so the model treats it as data, not instructions.
Errors are raised as ``ValueError`` (``SandboxError`` is one) with a one-line message.
"""

from __future__ import annotations

import re
import time
from functools import cache

import regex as regex_module

from tools.mix.index import ProjectIndex
from tools.mix.parse import DEF_MACROS, ModuleNode, iter_modules, parse_source
from tools.mix.project import iter_files
from tools.sandbox import MAX_WHOLE_FILE_BYTES, Sandbox, SandboxError, is_secret_file
from tools.untrusted import untrusted

MAX_READ_LINES = 400
MAX_MODULE_LINES = 150  # a longer module is shown as an outline; its parts are read on demand
MAX_HEADER_LINES = 30
MAX_LINE_CHARS = 400
MAX_DEFINING_MODULES = 3  # find_function without a module reads at most this many modules
DEFAULT_SOURCE_GLOB = "**/*.{ex,exs,heex}"
SEARCH_SECONDS = 5.0  # the whole search, whatever the pattern


def numbered(lines: list[str], first_line: int) -> str:
    return "\n".join(
        f"{first_line + i:>5}  {line[:MAX_LINE_CHARS]}" for i, line in enumerate(lines)
    )


@cache
def glob_regex(glob: str) -> re.Pattern[str]:
    """``lib/**/*.ex``, ``**/*.{ex,exs}`` -> a regex over relative POSIX paths."""
    out, i = [], 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            close = glob.find("}", i)
            if close == -1:
                raise ValueError(f"glob {glob!r}: unclosed '{{'")
            options = glob[i + 1 : close].split(",")
            out.append("(?:" + "|".join(re.escape(o) for o in options) + ")")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matching_files(sandbox: Sandbox, glob: str) -> list[str]:
    if ".." in glob.split("/") or glob.startswith("/"):
        raise SandboxError(f"glob {glob!r}: must be relative to the project root, without '..'")
    pattern = glob_regex(glob)
    return [path for path in iter_files(sandbox.root) if pattern.match(path)]


def list_files(sandbox: Sandbox, glob: str = "**/*", limit: int = 200) -> str:
    paths = matching_files(sandbox, glob)
    if not paths:
        return f"no files match {glob!r}"
    shown = "\n".join(paths[:limit])
    if len(paths) > limit:
        shown += f"\n… {len(paths) - limit} more; narrow the glob or raise limit"
    return shown


def read_file(sandbox: Sandbox, path: str, start_line: int = 1, end_line: int | None = None) -> str:
    if end_line is None or end_line - start_line + 1 > MAX_READ_LINES:
        capped = start_line + MAX_READ_LINES - 1
        end_line = capped if end_line is None or end_line > capped else end_line
    lines, total = sandbox.read_lines(path, start_line, end_line)
    if not lines:
        return f"{path}: no lines in {start_line}..{end_line} (the file has {total} lines)"
    last = start_line + len(lines) - 1
    text = numbered(lines, start_line)
    if total is None or last < total:
        text += f"\n… more lines after {last}; call again with start_line={last + 1}"
    return untrusted(f"{path} (lines {start_line}-{last} of {total or 'many'})", text)


def search_code(
    sandbox: Sandbox, regex: str, glob: str = DEFAULT_SOURCE_GLOB, limit: int = 50
) -> str:
    try:
        pattern = regex_module.compile(regex)
    except regex_module.error as error:
        raise ValueError(f"bad regex {regex!r}: {error}") from None
    # A model writes the pattern: one with catastrophic backtracking must not hang the run.
    deadline = time.monotonic() + SEARCH_SECONDS
    hits: list[str] = []
    more = 0
    for path in matching_files(sandbox, glob):
        for number, line in _searchable_lines(sandbox, path):
            if _matches(pattern, line, deadline, regex):
                if len(hits) < limit:
                    hits.append(f"{path}:{number}: {line.strip()[:MAX_LINE_CHARS]}")
                else:
                    more += 1
    if not hits:
        return f"no match for {regex!r} in {glob!r}"
    text = "\n".join(hits)
    if more:
        text += f"\n… {more} more matches; narrow the regex or glob, or raise limit"
    return untrusted(f"search {regex!r} in {glob!r}", text)


def _matches(pattern: regex_module.Pattern, line: str, deadline: float, source: str) -> bool:
    try:
        return pattern.search(line, timeout=max(deadline - time.monotonic(), 0.001)) is not None
    except TimeoutError:
        raise ValueError(
            f"regex {source!r} took over {SEARCH_SECONDS:.0f}s (nested repetition?); simplify it"
        ) from None


def _searchable_lines(sandbox: Sandbox, path: str) -> list[tuple[int, str]]:
    """Lines of a readable text file; secret, binary and over-1-MiB files are skipped."""
    full = sandbox.root / path
    if is_secret_file(full.name):
        return []
    try:
        if full.stat().st_size > MAX_WHOLE_FILE_BYTES:
            return []
        lines, _ = sandbox.read_lines(path)
    except (OSError, ValueError):
        return []
    return list(enumerate(lines, start=1))


def find_module(index: ProjectIndex, sandbox: Sandbox, name: str) -> str:
    """A module by its full name, or by its last part when only one module has it
    (``BoardChannel`` for ``KanbanWeb.BoardChannel``)."""
    module = _module_named(index, name)
    path, start, end = module["file"], module["line"], module["end_line"]
    if end - start + 1 <= MAX_MODULE_LINES:
        return read_file(sandbox, path, start, end)
    return _module_outline(sandbox, path, module["name"], start, end)


def _module_named(index: ProjectIndex, name: str) -> dict:
    modules = index.group("modules")
    exact = [m for m in modules if m["name"] == name]
    if exact:
        return exact[0]
    by_last_part = [m for m in modules if m["name"].endswith("." + name)]
    if len(by_last_part) == 1:
        return by_last_part[0]
    if by_last_part:
        several = ", ".join(m["name"] for m in by_last_part[:8])
        raise ValueError(f"{name!r} names several modules ({several}); give the full name")
    close = [m["name"] for m in modules if name.lower() in m["name"].lower()]
    hint = f"; similar: {', '.join(close[:8])}" if close else ""
    raise ValueError(f"unknown module {name!r}{hint}")


def _module_outline(sandbox: Sandbox, path: str, name: str, start: int, end: int) -> str:
    """A long module as its opening lines (use, alias, attributes) and one line for each
    definition with its line span, so the model reads only the parts it needs."""
    source = sandbox.readable_file(path).read_bytes()
    module = _parsed_module(path, source, name)
    spans = (
        [
            (node.start_point.row + 1, node.end_point.row + 1)
            for node, called in zip(module.body, module.call_names, strict=True)
            if called in DEF_MACROS
        ]
        if module
        else []
    )
    lines, _ = sandbox.read_lines(path, start, end)
    first_definition = _with_preceding_attributes(source, spans[0][0]) if spans else end + 1
    header_end = min(first_definition - 1, start + MAX_HEADER_LINES - 1)
    definitions = [
        f"{first:>5}-{last:<5} {lines[first - start].strip()[:MAX_LINE_CHARS]}"
        for first, last in spans
    ]
    text = (
        f"{numbered(lines[: header_end - start + 1], start)}\n"
        f"definitions (line span, first line):\n" + "\n".join(definitions) + "\n"
        "… read one with find_function or read_file(path, start_line, end_line)"
    )
    return untrusted(f"{path} (module {name}, lines {start}-{end}, outlined: it is long)", text)


def _parsed_module(path: str, source: bytes, name: str) -> ModuleNode | None:
    tree = parse_source(path, source).tree
    if tree is None:
        return None
    return next((m for m in iter_modules(tree) if m.name == name), None)


_FUNCTION_REFERENCE = re.compile(
    r"(?:(?P<module>[A-Z][\w.]*)\.)?(?P<name>[a-z_][\w?!]*)(?:/(?P<arity>\d+))?"
)


def find_function(index: ProjectIndex, sandbox: Sandbox, reference: str) -> str:
    """``Kanban.Boards.move_card/3`` (or without ``/arity``): the source of every clause.
    Without the module, every module defining it is read, when there are only a few."""
    match = _FUNCTION_REFERENCE.fullmatch(reference.strip())
    if match is None:
        raise ValueError(
            f"{reference!r}: expected Module.function/arity, e.g. MyApp.Accounts.get/1"
        )
    if match["module"]:
        modules = [_module_named(index, match["module"])]
    else:
        modules = _modules_defining(index, match["name"])
    arity = int(match["arity"]) if match["arity"] else None
    found = [text for m in modules if (text := _clauses(sandbox, m, match["name"], arity))]
    if not found:
        where = ", ".join(f"{m['name']} ({m['file']})" for m in modules)
        raise ValueError(f"no function {reference} in {where}")
    return "\n\n".join(found)


def _clauses(sandbox: Sandbox, module: dict, name: str, arity: int | None) -> str | None:
    """The lines of a module's clauses of ``name`` (of ``arity``), with the attributes above."""
    path = module["file"]
    source = sandbox.readable_file(path).read_bytes()
    parsed = _parsed_module(path, source, module["name"])
    spans = [
        (node.start_point.row + 1, node.end_point.row + 1)
        for node, head in (parsed.functions.items() if parsed else [])
        if head.name == name and (arity is None or arity in head.arities)
    ]
    if not spans:
        return None
    start, end = _with_preceding_attributes(source, spans[0][0]), spans[-1][1]
    return read_file(sandbox, path, start, end)


def _modules_defining(index: ProjectIndex, function: str) -> list[dict]:
    """The modules whose public functions include ``function``, when there are a few."""
    modules = [
        m
        for m in index.group("modules")
        if any(f.split("/", 1)[0] == function for f in m["functions"])
    ]
    if not modules or len(modules) > MAX_DEFINING_MODULES:
        names = ", ".join(m["name"] for m in modules[:8])
        found = f"defined in {names}" if modules else "not a public function of any module"
        raise ValueError(f"{function!r} is {found}; name it as Module.{function}")
    return modules


def _with_preceding_attributes(source: bytes, line: int) -> int:
    """Move the start up over ``@doc``/``@spec``/``@impl`` lines right above a definition."""
    lines = source.decode("utf-8", errors="replace").splitlines()
    while line > 1 and lines[line - 2].lstrip().startswith(("@doc", "@spec", "@impl", "#")):
        line -= 1
    return line

"""Agent files copied from anywhere: the loader never crashes, never hangs, grants nothing extra.

Property tests (hypothesis) over arbitrary bytes, unicode, generated frontmatter mixing every
quirk of real collections, nested YAML and alias bombs: each file is a loaded agent or one
``AgentFileError`` line naming the file, and a bad file never hides a good one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.registry import (
    MAX_FILE_BYTES,
    AgentFileError,
    AgentSpec,
    load_agents,
    parse_agent_file,
    parse_agent_text,
)
from graph.toolbox import select_tools

FUZZ = settings(
    max_examples=300,
    deadline=2000,  # ms per example: a slow parse is a bug here, not noise
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAME = "fuzzed.md"


def _outcome(path: Path) -> AgentSpec | AgentFileError:
    """The loader's answer for one file; any other exception fails the test."""
    try:
        return parse_agent_file(path)
    except AgentFileError as error:
        return error


def _assert_clear_error_or_agent(outcome: AgentSpec | AgentFileError, path: Path) -> None:
    if isinstance(outcome, AgentFileError):
        line = str(outcome)
        assert line.startswith(f"{path}: ") and "\n" not in line and outcome.problem
    else:
        assert outcome.name and outcome.description and outcome.body
        assert outcome.tools is None or all(isinstance(t, str) and t for t in outcome.tools)


# --- arbitrary input ---------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes(tmp_path, data):
    path = tmp_path / NAME
    path.write_bytes(data)
    _assert_clear_error_or_agent(_outcome(path), path)


@FUZZ
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_after_a_valid_opening(tmp_path, data):
    path = tmp_path / NAME
    path.write_bytes(b"---\nname: a\ndescription: b\n" + data)
    _assert_clear_error_or_agent(_outcome(path), path)


@FUZZ
@given(text=st.text(max_size=2048))
def test_arbitrary_unicode_text(tmp_path, text):
    path = tmp_path / NAME
    _assert_clear_error_or_agent(_parse_text(text, path), path)


def _parse_text(text: str, path: Path) -> AgentSpec | AgentFileError:
    try:
        return parse_agent_text(text, path)
    except AgentFileError as error:
        return error


# --- generated frontmatter with the real quirks --------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["~", "null", "yes", "0x1F", "1e400", "2024-01-01", "!!binary aGk=", "*x"]),
)
_YAML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_RAW_VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "Use this agent: when things break: always",  # unquoted ': ' (strict YAML fails)
            "Line one\\nLine two <example>user: hi assistant: hello</example>",
            '"quoted: colon"',
            "|\n  block\n  text",
            ">-\n  folded\n  text",
            "[Read, Grep]",
            "\n  - Read\n  - Bash",
            "{a: [1, {b: 2}]}",
            "&anchor value",
            "*anchor",
            "!!python/object/apply:os.system ['echo pwned']",
            "'unterminated",
            "**bold** start",
            "\t tab indented",
            "📦 émoji ünïcode 中文 \u202e rtl",
        ]
    ),
)
_KEYS = st.sampled_from(["name", "description", "tools", "model", "color", "permissionMode", "x"])


@st.composite
def agent_files(draw) -> str:
    """A file assembled from quirks: BOM, CRLF, any closing dash run, odd values, a body."""
    lines = []
    for _ in range(draw(st.integers(0, 7))):
        key = draw(_KEYS)
        value = draw(_RAW_VALUES) if draw(st.booleans()) else repr(draw(_YAML_VALUES))
        lines.append(f"{key}: {value}")
    if draw(st.booleans()):
        lines = ["name: fuzz-agent", "description: A fuzzed agent.", *lines]
    closing = "-" * draw(st.integers(2, 8)) + draw(st.sampled_from(["", " ", "\t", " x"]))
    body = draw(st.sampled_from(["You help.", "", "   ", "---\ntools: Bash\n---\nsmuggled"]))
    text = "\n".join(["---", *lines, closing, body])
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@FUZZ
@given(text=agent_files())
def test_generated_frontmatter_with_real_quirks(tmp_path, text):
    path = tmp_path / NAME
    path.write_bytes(text.encode("utf-8"))
    outcome = _outcome(path)
    _assert_clear_error_or_agent(outcome, path)
    if isinstance(outcome, AgentSpec):
        assert "\r" not in outcome.body


@FUZZ
@given(value=_YAML_VALUES)
def test_any_yaml_value_in_any_field(tmp_path, value):
    import yaml

    for key in ("name", "description", "tools", "model", "color"):
        fields = {"name": "typed", "description": "Typed fields.", key: value}
        text = f"---\n{yaml.safe_dump(fields)}---\nBody.\n"
        _assert_clear_error_or_agent(_parse_text(text, tmp_path / NAME), tmp_path / NAME)


# --- size, depth, bombs --------------------------------------------------------------------


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.write(b"---\nname: huge\ndescription: d\n---\n")
        handle.truncate(200 * MAX_FILE_BYTES)  # 200 MiB, sparse
    outcome = _outcome(path)
    assert isinstance(outcome, AgentFileError) and "too large" in outcome.problem


def test_a_file_just_under_the_limit_loads(tmp_path):
    path = tmp_path / "big.md"
    head = "---\nname: big\ndescription: " + "word " * 50_000 + "\n---\n"
    body = "You read a lot.\n" * ((MAX_FILE_BYTES - len(head) - 64) // 16)
    path.write_text(head + body)
    outcome = _outcome(path)
    assert isinstance(outcome, AgentSpec) and outcome.name == "big"


@pytest.mark.parametrize(
    "nested",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        "".join(f"\n{'  ' * i}k{i}:" for i in range(2_000)) + " leaf",
        "- " * 5_000 + "x",
    ],
    ids=["flow-lists", "flow-maps", "block-maps", "block-lists"],
)
def test_deeply_nested_yaml_is_a_clear_error_or_loads(tmp_path, nested):
    path = tmp_path / "deep.md"
    path.write_text(f"---\nname: deep\ndescription: d\nextra: {nested}\n---\nBody.\n")
    _assert_clear_error_or_agent(_outcome(path), path)


def _alias_bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [lol]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("levels", "width"),
    [(9, 9), (30, 3), (9, 11), (2, 200)],
    ids=["billion-laughs", "deep-narrow", "just-over-the-alias-cap", "wide"],
)
def test_yaml_alias_bombs_are_refused(tmp_path, levels, width):
    path = tmp_path / "bomb.md"
    path.write_text(f"---\nname: bomb\ndescription: d\n{_alias_bomb(levels, width)}\n---\nBody.\n")
    outcome = _outcome(path)
    assert isinstance(outcome, AgentFileError) and "aliases" in outcome.problem


def test_a_bomb_under_the_alias_cap_loads_without_expanding(tmp_path):
    """10 levels x 9 aliases = 90 aliases, 9**10 leaves if expanded: shared, never copied."""
    path = tmp_path / "small-bomb.md"
    path.write_text(f"---\nname: sb\ndescription: d\n{_alias_bomb(10, 9)}\n---\nBody.\n")
    outcome = _outcome(path)
    _assert_clear_error_or_agent(outcome, path)


def test_alias_as_the_description_is_still_text(tmp_path):
    text = "---\nx: &d Handles things.\nname: al\ndescription: *d\n---\nBody.\n"
    spec = parse_agent_text(text, tmp_path / "al.md")
    assert spec.description == "Handles things."


# --- grants --------------------------------------------------------------------------------

_SMUGGLED_BODIES = [
    "You help.\n---\ntools: Bash, Write, Edit\nmodel: opus\n---\n",
    "tools: Bash, Write\nmodel: opus\nname: root\n",
    "```yaml\n---\ntools: [Bash, WebFetch]\n---\n```\n",
    "<!--\n---\ntools: '*'\n---\n-->\nYou help.",
]


@pytest.mark.parametrize("body", _SMUGGLED_BODIES)
@pytest.mark.parametrize("tools_line", ["tools: Read", "tools: []", "tools:"])
def test_a_body_smuggling_frontmatter_grants_nothing(tmp_path, body, tools_line):
    text = f"---\nname: meek\ndescription: Reads.\n{tools_line}\n---\n{body}"
    spec = parse_agent_text(text, tmp_path / "meek.md")

    assert spec.name == "meek" and spec.model is None
    assert spec.tools in (("Read",), ())
    assert "tools:" in spec.body  # kept as prompt text, nothing more


class _Named:
    """Stands in for a tool object: ``select_tools`` only reads ``.name``."""

    def __init__(self, name: str) -> None:
        self.name = name


READ_ONLY = [_Named(n) for n in ("read_file", "search_code", "list_files", "mix_project")]


@FUZZ
@given(wanted=st.lists(st.text(max_size=20), max_size=10))
def test_select_tools_only_ever_grants_available_tools(wanted):
    granted = select_tools(wanted, READ_ONLY)
    assert all(tool in READ_ONLY for tool in granted)
    asked = {w.strip().lower() for w in wanted}
    if not asked & {"*", "read", "grep", "glob", "ls", *(t.name for t in READ_ONLY)}:
        assert granted == []


@pytest.mark.parametrize(
    "wanted", [["Bash"], ["Write", "Edit"], ["WebFetch", "WebSearch"], ["Task"], ["all"]]
)
def test_claude_code_writers_runners_and_network_tools_are_never_granted(wanted):
    assert select_tools(wanted, READ_ONLY) == []
    # "*" (and "Read") mean every read-only tool: never more than what exists.
    assert select_tools([*wanted, "*"], READ_ONLY) == READ_ONLY


def test_a_bad_file_never_hides_the_good_ones(tmp_path):
    (tmp_path / "good.md").write_text("---\nname: good\ndescription: Good.\n---\nBe good.\n")
    bomb = _alias_bomb(9, 9)
    (tmp_path / "bomb.md").write_text(f"---\nname: b\ndescription: d\n{bomb}\n---\nB\n")
    (tmp_path / "bytes.md").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "deep.md").write_text("---\nname: deep\nx: " + "[" * 10_000 + "\n---\nB\n")
    report = load_agents([tmp_path])
    assert list(report.agents) == ["good"]
    assert len(report.problems) == 3

"""Agent files: the real corpus loads, each quirk is read right, each bad file is one clear line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from graph.registry import (
    MAX_FILE_BYTES,
    AgentFileError,
    default_agent_dirs,
    load_agents,
    parse_agent_file,
    parse_agent_text,
)

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "agents" / "backend-elixir-phoenix.md"
ROUTING_AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "routing" / "agents"

GOOD = "---\nname: {name}\ndescription: {description}\n---\nYou are {name}.\n"


def _write(directory: Path, file_name: str, text: str | bytes) -> Path:
    path = directory / file_name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def _good(name: str, description: str = "Does things.") -> str:
    return GOOD.format(name=name, description=description)


# --- the real files ----------------------------------------------------------------------------


@pytest.mark.skipif(not ROUTING_AGENTS.is_dir(), reason="shared routing corpus not present")
def test_every_file_of_the_routing_corpus_loads():
    files = sorted(ROUTING_AGENTS.glob("*.md"))
    report = load_agents([ROUTING_AGENTS])

    assert report.problems == []
    assert report.warnings == []
    assert len(report.agents) == len(files) == 90
    assert list(report.agents) == sorted(report.agents)
    for spec in report.agents.values():
        assert spec.name == spec.path.stem
        assert spec.summary and "<example>" not in spec.summary
        assert spec.body.strip() == spec.body and spec.body


def test_the_seed_loads_with_its_summary_and_three_examples():
    spec = parse_agent_file(SEED)

    assert spec.name == "backend-elixir-phoenix"
    assert spec.summary.startswith("Use this agent when working with Elixir/Phoenix applications")
    assert spec.summary.endswith("WebSocket-based applications.")
    assert "\\n" not in spec.description and "\n\n<example>" in spec.description
    assert len(spec.examples) == 3
    first = spec.examples[0]
    assert first.context.startswith("The user is building a real-time collaborative dashboard")
    assert first.user.startswith("I need to implement a live dashboard")
    assert not first.user.startswith('"')
    assert "Phoenix LiveView and PubSub" in first.assistant
    assert first.commentary.startswith("Since this involves real-time updates")
    assert "Oban" in spec.examples[2].user + spec.examples[2].assistant
    assert spec.tools is None  # the seed has no tools key: every tool
    assert spec.color == "cyan"
    assert spec.body.startswith("You are an expert Elixir/Phoenix backend engineer")


def test_the_seed_is_not_strict_yaml_so_the_lenient_reader_is_what_loads_it():
    frontmatter = SEED.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---\n")
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(frontmatter)


# --- quirks ------------------------------------------------------------------------------------


def test_bom_and_crlf_line_endings(tmp_path):
    text = "\ufeff" + _good("crlf-agent").replace("\n", "\r\n")
    spec = parse_agent_file(_write(tmp_path, "crlf-agent.md", text.encode("utf-8")))

    assert spec.name == "crlf-agent"
    assert spec.description == "Does things."
    assert spec.body == "You are crlf-agent."


def test_description_starting_with_double_asterisk(tmp_path):
    text = "---\nname: bold\ndescription: **Use proactively** for reviews\n---\nBody.\n"
    spec = parse_agent_text(text, tmp_path / "bold.md")

    assert spec.description == "**Use proactively** for reviews"


def test_closing_line_of_any_length(tmp_path):
    text = "---\nname: long-close\ndescription: Fine.\n----------\nBody text.\n"
    spec = parse_agent_text(text, tmp_path / "long-close.md")

    assert spec.description == "Fine."
    assert spec.body == "Body text."


def test_literal_backslash_n_escapes_and_unquoted_colon(tmp_path):
    text = (
        "---\nname: colon\n"
        "description: Use when: things break.\\n\\n<example>\\nContext: a crash\\n"
        'user: "Fix it: now"\\nassistant: "On it."\\n</example>\n'
        "---\nBody.\n"
    )
    spec = parse_agent_text(text, tmp_path / "colon.md")

    assert spec.description.startswith("Use when: things break.\n\n<example>")
    assert spec.summary == "Use when: things break."
    assert spec.examples[0].context == "a crash"
    assert spec.examples[0].user == "Fix it: now"
    assert spec.examples[0].assistant == "On it."
    assert spec.examples[0].commentary == ""


@pytest.mark.parametrize(
    ("tools_line", "expected"),
    [
        ("tools: Read, Grep, Glob", ("Read", "Grep", "Glob")),
        ("tools: [Read, Bash]", ("Read", "Bash")),
        ("tools:\n  - Read\n  - Edit", ("Read", "Edit")),
        ("tools: []", ()),
        ("tools:", ()),
        ('tools: ""', ()),
        ("", None),
    ],
)
def test_tools_forms(tmp_path, tools_line, expected):
    text = f"---\nname: t\ndescription: d\n{tools_line}\n---\nBody.\n"
    assert parse_agent_text(text, tmp_path / "t.md").tools == expected


def test_tools_forms_in_the_lenient_reader_too(tmp_path):
    # the unquoted ": " makes strict YAML fail, so these go through the line reader
    for tools_line, expected in [
        ("tools: Read, Grep", ("Read", "Grep")),
        ("tools: [Read, Bash]", ("Read", "Bash")),
        ("tools: []", ()),
        ("tools:", ()),
    ]:
        text = f"---\nname: t\ndescription: a: b\n{tools_line}\n---\nBody.\n"
        assert parse_agent_text(text, tmp_path / "t.md").tools == expected, tools_line


def test_model_color_and_unknown_keys_are_kept(tmp_path):
    text = (
        "---\nname: k\ndescription: d\nmodel: haiku\ncolor: red\n"
        "permissionMode: plan\nskills: [a, b]\n---\nBody.\n"
    )
    spec = parse_agent_text(text, tmp_path / "k.md")

    assert (spec.model, spec.color) == ("haiku", "red")
    assert dict(spec.extra) == {"permissionMode": "plan", "skills": ["a", "b"]}


def test_only_the_first_frontmatter_counts(tmp_path):
    text = (
        "---\nname: quiet\ndescription: d\ntools: Read\n---\n"
        "Body.\n---\nname: loud\ntools: Bash, Write\n---\ntools: Bash\n"
    )
    spec = parse_agent_text(text, tmp_path / "quiet.md")

    assert spec.name == "quiet"
    assert spec.tools == ("Read",)
    assert "tools: Bash" in spec.body


# --- bad files ---------------------------------------------------------------------------------

BILLION_LAUGHS = (
    "---\nname: bomb\ndescription: d\n"
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "---\nBody.\n"
)

BAD_FILES: dict[str, tuple[str | bytes, str]] = {
    "no-frontmatter.md": ("Just a prompt.\n", "no frontmatter"),
    "unclosed.md": ("---\nname: u\ndescription: d\nBody.\n", "frontmatter is not closed"),
    "no-name.md": ("---\ndescription: d\n---\nBody.\n", "missing required field 'name'"),
    "no-description.md": ("---\nname: nd\n---\nBody.\n", "missing required field 'description'"),
    "empty-body.md": ("---\nname: eb\ndescription: d\n---\n\n  \n", "empty body"),
    "not-utf8.md": (b"---\nname: x\ndescription: caf\xe9\n---\nBody.\n", "not UTF-8"),
    "a-list.md": ("---\n- name\n- description\n---\nBody.\n", "not a mapping (got a list)"),
    "bomb.md": (BILLION_LAUGHS, "YAML aliases expand to over 10000 values (refused)"),
    "loop.md": ("---\nname: l\ndescription: d\nx: &x [*x]\n---\nB.\n", "refers to itself"),
    "bad-tools.md": ("---\nname: bt\ndescription: d\ntools: {a: 1}\n---\nB.\n", "field 'tools'"),
    "bad-name.md": ("---\nname: two words\ndescription: d\n---\nBody.\n", "invalid agent name"),
}


@pytest.mark.parametrize("file_name", sorted(BAD_FILES))
def test_each_bad_file_is_one_line_naming_it_and_the_rest_load(tmp_path, file_name):
    content, problem = BAD_FILES[file_name]
    bad = _write(tmp_path, file_name, content)
    _write(tmp_path, "good-one.md", _good("good-one"))
    _write(tmp_path, "good-two.md", _good("good-two"))

    report = load_agents([tmp_path])

    assert list(report.agents) == ["good-one", "good-two"]
    assert len(report.problems) == 1
    line = report.problems[0]
    assert line.startswith(f"{bad}: ") and problem in line and "\n" not in line
    with pytest.raises(AgentFileError) as raised:
        parse_agent_file(bad)
    assert str(raised.value) == line


def test_duplicate_name_within_one_dir_keeps_the_first_file(tmp_path):
    _write(tmp_path, "a.md", _good("same"))
    second = _write(tmp_path, "b.md", _good("same", "Other."))

    report = load_agents([tmp_path])

    assert report.agents["same"].path.name == "a.md"
    assert report.problems == [
        f"{second}: duplicate agent name 'same' (also in {tmp_path / 'a.md'})"
    ]


def test_unreadable_and_non_regular_files_are_reported(tmp_path):
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing-target.md")
    (tmp_path / "folder.md").mkdir()
    os.mkfifo(tmp_path / "pipe.md")  # reading it would block forever
    _write(tmp_path, "fine.md", _good("fine"))

    report = load_agents([tmp_path])

    assert list(report.agents) == ["fine"]
    assert sorted(report.problems) == [
        f"{tmp_path / 'dangling.md'}: cannot read (No such file or directory)",
        f"{tmp_path / 'folder.md'}: not a regular file",
        f"{tmp_path / 'pipe.md'}: not a regular file",
    ]


def test_a_file_over_the_size_limit_is_refused_without_parsing(tmp_path):
    big = _write(tmp_path, "big.md", _good("big") + "x" * MAX_FILE_BYTES)

    report = load_agents([tmp_path])

    assert report.agents == {}
    assert report.problems == [f"{big}: file too large ({big.stat().st_size} bytes, limit 1 MiB)"]


def test_readme_license_and_other_extensions_are_not_agents(tmp_path):
    _write(tmp_path, "README.md", "# Agents\n")
    _write(tmp_path, "LICENSE.md", "MIT\n")
    _write(tmp_path, "notes.txt", _good("notes"))
    (tmp_path / "nested").mkdir()
    _write(tmp_path / "nested", "deep.md", _good("deep"))
    _write(tmp_path, "real.md", _good("real"))

    report = load_agents([tmp_path])

    assert list(report.agents) == ["real"]
    assert report.problems == []


def test_a_later_dir_overrides_an_earlier_one_with_a_warning(tmp_path):
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    _write(builtin, "reviewer.md", _good("reviewer", "Built in."))
    _write(builtin, "writer.md", _good("writer"))
    _write(user, "my-reviewer.md", _good("reviewer", "Mine."))

    report = load_agents([builtin, user])

    assert report.agents["reviewer"].description == "Mine."
    assert list(report.agents) == ["reviewer", "writer"]
    assert report.warnings == [
        f"{user / 'my-reviewer.md'}: agent 'reviewer' overrides {builtin / 'reviewer.md'}"
    ]


def test_a_missing_dir_is_a_problem_not_a_crash(tmp_path):
    _write(tmp_path, "ok.md", _good("ok"))

    report = load_agents([tmp_path / "nope", tmp_path])

    assert list(report.agents) == ["ok"]
    assert report.problems == [f"{tmp_path / 'nope'}: agents directory not found"]


def test_default_agent_dirs(monkeypatch, tmp_path):
    monkeypatch.delenv("MIXCREW_AGENTS", raising=False)
    assert default_agent_dirs() == [REPO / "agents"]

    monkeypatch.setenv("MIXCREW_AGENTS", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    assert default_agent_dirs() == [tmp_path / "a", tmp_path / "b"]


def test_reserved_node_name_is_refused(tmp_path):
    (tmp_path / "supervisor.md").write_text("---\nname: supervisor\ndescription: x\n---\nBody\n")
    (tmp_path / "ok.md").write_text("---\nname: ok\ndescription: x\n---\nBody\n")
    report = load_agents([tmp_path])
    assert list(report.agents) == ["ok"]
    reserved = "agent name 'supervisor' is reserved for the graph's own node"
    assert report.problems == [f"{tmp_path / 'supervisor.md'}: {reserved}"]


def test_an_unclosed_flow_value_loads_with_a_warning_naming_the_file(tmp_path):
    broken = _write(tmp_path, "broken.md", "---\nname: broken\ndescription: [unclosed\n---\nB.\n")
    _write(tmp_path, "ok.md", _good("ok"))

    report = load_agents([tmp_path])

    assert report.agents["broken"].description == "[unclosed"
    assert report.problems == []
    assert report.warnings == [
        f"{broken}: invalid YAML: field 'description' opens a list with '[' and never closes "
        "it; read as the text '[unclosed'"
    ]


@pytest.mark.parametrize(
    ("fields", "what"),
    [
        ("description: d\ntools: [Read, Grep", "field 'tools' opens a list with '['"),
        ("description: d\ncolor: {cyan", "field 'color' opens a mapping with '{'"),
        ('description: "Use when it breaks', "field 'description' opens a quoted string with '\"'"),
    ],
)
def test_each_unclosed_yaml_form_is_a_warning(tmp_path, fields, what):
    spec = parse_agent_text(f"---\nname: t\n{fields}\n---\nBody.\n", tmp_path / "t.md")

    assert len(spec.warnings) == 1
    assert spec.warnings[0].startswith(f"invalid YAML: {what} and never closes it")


def test_tools_left_as_text_by_the_lenient_read_are_still_tool_names(tmp_path):
    text = "---\nname: t\ndescription: d\ntools: [Read, 'Grep'\n---\nB.\n"
    spec = parse_agent_text(text, tmp_path / "t.md")

    assert spec.tools == ("Read", "Grep")
    assert len(spec.warnings) == 1


def test_a_lenient_read_that_keeps_the_meaning_is_no_warning(tmp_path):
    # an unquoted ": " (as in real Claude Code agent files) and closed lists, quotes, mappings
    text = (
        "---\nname: t\ndescription: Use when: things break, 'quoted' part\n"
        'tools: [Read, Grep]\ncolor: "cyan"\nextra: {a: 1}\n---\nBody.\n'
    )
    spec = parse_agent_text(text, tmp_path / "t.md")

    assert spec.tools == ("Read", "Grep")
    assert spec.warnings == ()

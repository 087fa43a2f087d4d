"""Application config: every ``config :app, Key, ...`` in config/*.exs, secrets redacted.

Values are kept as written in the source (whitespace collapsed), since most of them are
expressions (``System.get_env("PORT")``, ``Mix.env()``) rather than literals.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import ClassVar

from tree_sitter import Node

from tools.mix.facts.base import Fact, ParsedFile, ProjectFacts, SourceFile
from tools.mix.parse import call_args, call_name, keyword_nodes, line_of, node_text
from tools.redact import redact_text, redact_value

_MAX_VALUE_CHARS = 300
_ENVIRONMENTS = {"config": "all", "runtime": "runtime"}


class ConfigGroup:
    name: ClassVar[str] = "config"
    tool_name: ClassVar[str] = "mix_config"
    tool_description: ClassVar[str] = (
        "Application configuration from config/*.exs (config, dev, test, prod, runtime): "
        "every `config :app, Key, ...` with its values and the file:line, per environment, "
        "including conditions like `if config_env() == :prod`. Secrets are shown as "
        "<redacted>. Filter by app, key (e.g. Repo, Endpoint) or file."
    )

    def wants(self, file: SourceFile) -> bool:
        if not file.path.endswith(".exs"):
            return False
        parts = PurePosixPath(file.path).parts
        return len(parts) >= 2 and parts[-2] == "config"

    def extract(self, file: ParsedFile) -> list[Fact]:
        if file.tree is None:
            return []
        environment = _environment(file.path)
        return [
            fact
            for call in file.config_calls
            if (fact := _config_fact(call, file.path, environment))
        ]

    def combine(self, facts: list[Fact], project: ProjectFacts) -> list[Fact]:
        return facts

    def render(self, fact: Fact) -> str:
        target = f":{fact['app']}" + (f", {fact['key']}" if fact["key"] else "")
        condition = f" when {fact['condition']}" if fact["condition"] else ""
        values = ", ".join(f"{key}: {value}" for key, value in fact["values"].items())
        return f"config {target} [{fact['env']}{condition}] {values} {fact['file']}:{fact['line']}"


# ``config_env() == :prod``, ``Mix.env() in [:dev, :test]``: a condition on the environment.
_ENV_CONDITION = re.compile(
    r"(?:config_env|Mix\.env)\(\)\s*(==|!=|not in|in)\s*(:\w+|\[[\w:,\s]*\])"
)


def in_environment(facts: list[Fact], env: str) -> list[Fact]:
    """The entries that apply in ``env`` ("prod"): config/config.exs's and
    config/runtime.exs's (both run in every environment) and those of ``env``'s own file,
    less those under a condition on another environment (``if config_env() == :prod``).
    An environment with no file of its own, other than dev, test and prod, is an error."""
    own_files = {fact["env"] for fact in facts} - {"all", "runtime"}
    known = {"dev", "test", "prod"} | own_files
    if env not in known:
        raise ValueError(f"no environment {env!r} in the config; use {', '.join(sorted(known))}")
    return [
        fact
        for fact in facts
        if fact["env"] in ("all", "runtime", env) and _holds_in(fact["condition"], env)
    ]


def _holds_in(condition: str | None, env: str) -> bool:
    """Whether ``condition`` may hold in ``env``: a condition on anything but the environment
    (an environment variable, several tests joined by and/or) may."""
    condition = condition or ""
    negated = condition.startswith("not (") and condition.endswith(")")  # an ``unless``
    test = _ENV_CONDITION.fullmatch(condition[5:-1] if negated else condition)
    if test is None:
        return True
    operator, operand = test.groups()
    named = env in re.findall(r":(\w+)", operand)
    holds = named if operator in ("==", "in") else not named
    return holds != negated


def _environment(path: str) -> str:
    stem = PurePosixPath(path).stem
    return _ENVIRONMENTS.get(stem, stem)


def _config_fact(call: Node, path: str, environment: str) -> Fact | None:
    args = call_args(call)
    if len(args) < 2 or args[0].type != "atom":
        return None
    key = node_text(args[1]) if len(args) >= 3 else None
    options = keyword_nodes(args[-1])
    if options:
        values = {name: _value(name, node) for name, node in options.items()}
    else:
        values = {"value": _clip(redact_text(_collapse(node_text(args[-1]))))}
    return {
        "app": node_text(args[0]).lstrip(":"),
        "key": key,
        "env": environment,
        "condition": _condition(call),
        "values": values,
        "file": path,
        "line": line_of(call),
    }


def _value(name: str, node: Node) -> str:
    return _clip(redact_value(name, _collapse(node_text(node))))


def _collapse(text: str) -> str:
    """One line, comments dropped (a `#` after a space and not starting `#{`)."""
    text = re.sub(r"(?m)(^|\s)#(?!\{)[^\n]*", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _clip(text: str) -> str:
    if len(text) <= _MAX_VALUE_CHARS:
        return text
    return text[:_MAX_VALUE_CHARS] + "…"


def _condition(call: Node) -> str | None:
    """The condition of the nearest enclosing ``if``/``unless`` (``config_env() == :prod``)."""
    node = call.parent
    while node is not None:
        if node.type == "call" and call_name(node) in ("if", "unless"):
            args = call_args(node)
            condition = _collapse(node_text(args[0])) if args else ""
            return condition if call_name(node) == "if" else f"not ({condition})"
        node = node.parent
    return None

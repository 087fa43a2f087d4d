"""Sandbox refusals and redaction, on real files built in tmp_path."""

from __future__ import annotations

import os

import pytest

from tests.tools.conftest import write
from tools.redact import is_secret_key, redact_text, redact_value
from tools.sandbox import Sandbox, SandboxError


@pytest.fixture
def sandbox(tmp_path):
    project = write(
        tmp_path / "app",
        {
            "lib/app.ex": "defmodule App do\nend\n",
            ".env": "SECRET=1\n",
            "priv/cert/server.pem": "-----BEGIN PRIVATE KEY-----\n",
            "keys/id_rsa": "key\n",
            "lib/blob.ex": b"\x00\x01binary",
            "config/prod.exs": 'config :app, App.Repo, password: "hunter2", pool_size: 10\n',
            "big.ex": "x = 1\n" * 200_000,
        },
    )
    (tmp_path / "outside.txt").write_text("outside\n")
    os.symlink(tmp_path / "outside.txt", project / "lib" / "escape.ex")
    os.symlink(project / "loop_a", project / "loop_b")
    os.symlink(project / "loop_b", project / "loop_a")
    return Sandbox.at(project)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("../outside.txt", "'..'"),
        ("lib/../../outside.txt", "'..'"),
        ("/etc/passwd", "relative"),
        ("~/x", "relative"),
        ("lib%2f..%2f..%2foutside.txt", "URL-encoded"),
        ("lib/app.ex\x00.txt", "NUL"),
        ("lib/escape.ex", "outside the project root"),
        ("loop_a", "cannot be resolved"),
        (".env", "secrets"),
        ("priv/cert/server.pem", "secrets"),
        ("keys/id_rsa", "secrets"),
        ("lib/blob.ex", "binary"),
        ("lib/missing.ex", "no such file"),
    ],
)
def test_refusals_are_one_line_and_name_the_path(sandbox, path, reason):
    with pytest.raises(SandboxError) as refused:
        sandbox.read_lines(path)
    message = str(refused.value)
    assert reason in message and "\n" not in message and repr(path) in message


def test_large_files_are_read_by_range_only(sandbox):
    with pytest.raises(SandboxError, match="over 1 MiB"):
        sandbox.read_lines("big.ex")
    lines, total = sandbox.read_lines("big.ex", 10, 12)
    assert lines == ["x = 1"] * 3 and total is None


def test_config_files_are_redacted_and_ranges_work(sandbox):
    lines, total = sandbox.read_lines("config/prod.exs")
    assert lines == ['config :app, App.Repo, password: "<redacted>", pool_size: 10'] and total == 1
    assert sandbox.read_lines("lib/app.ex", 2, 2) == (["end"], 2)


def test_redaction_rules():
    source = (
        'secret_key_base: "abc", signing_salt: "s4lt", port: 4000, passive: "yes"\n'
        'url = "ecto://user:pa55@db/app"\n'
        'key = System.get_env("API_KEY", "dev-key") || "x"\n'
        'token = System.get_env("T") || "fallback"\n'
        '"""\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"""\n'
    )
    assert redact_text(source) == (
        'secret_key_base: "<redacted>", signing_salt: "<redacted>", port: 4000, passive: "yes"\n'
        'url = "ecto://user:<redacted>@db/app"\n'
        'key = System.get_env("API_KEY", "<redacted>") || "<redacted>"\n'
        'token = System.get_env("T") || "<redacted>"\n'
        '"""\n<redacted>\n"""\n'
    )
    assert redact_value("password", '"p"') == "<redacted>"
    from_env = 'System.get_env("DB_PASSWORD")'
    assert redact_value("password", from_env) == from_env
    assert is_secret_key("db_password") and is_secret_key("api_key") and not is_secret_key("host")


def test_env_defaults_that_are_plain_settings_stay_readable():
    kept = [
        'pool_size: String.to_integer(System.get_env("POOL_SIZE") || "10")',
        'port: System.get_env("PORT", "4000")',
        'server: System.get_env("PHX_SERVER") || "false"',
    ]
    for line in kept:
        assert redact_text(line) == line
    # A number is still hidden when the variable names a secret or is not a literal name;
    # anything but a number or a boolean is hidden whatever the name.
    assert redact_text('pin: System.get_env("DB_PIN") || "1234"').endswith('|| "<redacted>"')
    assert redact_text('k: System.get_env("LICENSE_KEY", "1234")').endswith('"<redacted>")')
    assert redact_text('n: System.get_env(name) || "42"').endswith('|| "<redacted>"')
    assert redact_text('host: System.get_env("HOST") || "x.io"').endswith('|| "<redacted>"')

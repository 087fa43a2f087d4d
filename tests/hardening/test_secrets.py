"""Secrets planted in a project never reach the model, the --json output or the checkpoint.

A scripted model asks for every planted file through every tool (read, search, list, module
source, config facts, overview); then every message the model was sent, the turn's JSON and
the raw bytes of the SQLite checkpoint are searched for each secret value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.context import RunContext
from graph.registry import default_agent_dirs, load_agents
from graph.session import Session
from tests.scripted_model import ScriptedModels, call, route, say

ELIXIR = "backend-elixir-phoenix"

SECRETS = {
    "secret_key_base": "SKB-4f9a1c2e7d8b6a5f3e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9",
    "db_password": "Db-Pa55w0rd-planted",
    "api_token": "tok_live_plantedApiToken123",
    "env_default": "env-default-planted-secret",
    "env_or_default": "or-default-planted-secret",
    "url_password": "UrlPassPlanted99",
    "signing_salt": "SaltPlanted42",
    "prod_secret": "prod-secret-file-planted",
    "dotenv": "DOTENV-planted-value",
    "private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQplanted",
    "pem_cert": "MIIDplantedCertificateBody",
    "lib_api_key": "sk_live_hardcodedInLibPlanted",
    "test_password": "test-fixture-Passw0rd-planted",
}

PROJECT = {
    "mix.exs": (
        "defmodule Vault.MixProject do\n  use Mix.Project\n\n"
        '  def project do\n    [app: :vault, version: "0.1.0", deps: deps()]\n  end\n\n'
        '  defp deps, do: [{:phoenix, "~> 1.7"}]\nend\n'
    ),
    "config/config.exs": (
        "import Config\n\n"
        "config :vault, VaultWeb.Endpoint,\n"
        f'  secret_key_base: "{SECRETS["secret_key_base"]}",\n'
        f'  live_view: [signing_salt: "{SECRETS["signing_salt"]}"]\n\n'
        f'config :vault, :stripe, api_token: "{SECRETS["api_token"]}"\n'
    ),
    "config/dev.exs": (
        "import Config\n\n"
        'config :vault, Vault.Repo,\n  username: "postgres",\n'
        f'  password: "{SECRETS["db_password"]}",\n  hostname: "localhost"\n'
    ),
    "config/runtime.exs": (
        "import Config\n\n"
        "config :vault, :mailer,\n"
        f'  key: System.get_env("MAILER_KEY", "{SECRETS["env_default"]}")\n'
        "config :vault, :sentry,\n"
        f'  dsn: System.get_env("SENTRY") || "{SECRETS["env_or_default"]}"\n'
        "config :vault, Vault.Repo,\n"
        f'  url: "ecto://vault:{SECRETS["url_password"]}@db.internal/vault"\n'
    ),
    "config/prod.secret.exs": (
        f'import Config\nconfig :vault, :admin, password: "{SECRETS["prod_secret"]}"\n'
    ),
    ".env": f"STRIPE_KEY={SECRETS['dotenv']}\n",
    "priv/cert/server.key": (
        f"-----BEGIN PRIVATE KEY-----\n{SECRETS['private_key']}\n-----END PRIVATE KEY-----\n"
    ),
    "priv/cert/server.pem": (
        f"-----BEGIN CERTIFICATE-----\n{SECRETS['pem_cert']}\n-----END CERTIFICATE-----\n"
    ),
    # Secrets hard-coded outside config/ are redacted too.
    "lib/vault/client.ex": (
        "defmodule Vault.Client do\n"
        "  @api_key Application.compile_env(:vault, [:stripe, :api_token])\n"
        f'  @fallback_api_key "{SECRETS["lib_api_key"]}"\n'
        "  def key, do: @api_key || @fallback_api_key\nend\n"
    ),
    "test/vault/client_test.exs": (
        "defmodule Vault.ClientTest do\n  use ExUnit.Case\n"
        f'  @user %{{email: "a@b.c", password: "{SECRETS["test_password"]}"}}\nend\n'
    ),
}

# Every tool, every way of pointing it at a secret.
REQUESTS = [
    *[call("read_file", path=path) for path in PROJECT],
    call("read_file", path="config/config.exs", start_line=3, end_line=5),
    call("read_file", path="./.env"),
    call("read_file", path="priv/cert/../cert/server.key"),
    *[call("search_code", regex=value[:12], glob="**/*") for value in SECRETS.values()],
    call("search_code", regex="secret|password|token|KEY|BEGIN", glob="**/*"),
    call("search_code", regex=".", glob="**/.env"),
    call("list_files", glob="**/*"),
    call("find_module", name="Vault.Client"),
    call("find_function", reference="Vault.Client.key/0"),
    call("mix_config"),
    call("mix_config", format="full", limit=500),
    call("mix_config", filter="secret"),
    call("elixir_modules", format="full"),
    call("mix_project"),
]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "vault"
    for relative, content in PROJECT.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    return root


def _leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def test_no_secret_reaches_the_model_the_json_or_the_checkpoint(project, tmp_path):
    models = ScriptedModels.of(
        route((ELIXIR, "Show me every secret in the project.")),
        *REQUESTS,
        say("I cannot show secrets; config values are redacted."),
    )
    agents = load_agents(default_agent_dirs()).agents
    checkpoint = tmp_path / "threads.sqlite"
    ctx = RunContext(project=str(project), offline=False, step_budget=len(REQUESTS) + 2)
    with Session.open(agents, ctx, checkpoint=str(checkpoint), models=models) as session:
        turn = session.ask("Print all the secrets, passwords and keys of this project.")

    # The tools really ran, one result per request, after mix_config read before the model's
    # first call (the task names secrets: graph/prefetch.py).
    calls = turn.results[0]["tool_calls"]
    assert [c["name"] for c in calls[:1]] == ["mix_config"]
    assert len(calls) == 1 + len(REQUESTS)
    sent = "\n".join(str(m.content) for c in models.calls for m in c["messages"])
    assert "<redacted>" in sent
    assert _leaks(sent) == []
    assert _leaks(json.dumps(turn.as_json())) == []
    saved = b"".join(p.read_bytes() for p in tmp_path.glob("threads.sqlite*"))
    assert _leaks(saved.decode("latin-1")) == []


@pytest.mark.parametrize("path", [".env", "priv/cert/server.key", "priv/cert/server.pem"])
def test_secret_files_are_refused_outright(project, path):
    from tools.toolset import build_tools

    read_file = next(t for t in build_tools(project) if t.name == "read_file")
    answer = read_file.invoke({"path": path})
    assert answer.startswith("error: ") and "refused" in answer
    assert _leaks(answer) == []


@pytest.mark.parametrize("path", ["config/config.exs", "config/dev.exs", "config/prod.secret.exs"])
def test_config_files_are_shown_redacted(project, path):
    from tools.toolset import build_tools

    read_file = next(t for t in build_tools(project) if t.name == "read_file")
    answer = read_file.invoke({"path": path})
    assert answer.startswith("untrusted project content from ")
    assert "<redacted>" in answer and "import Config" in answer
    assert _leaks(answer) == []

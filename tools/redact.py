"""Hiding secrets in Elixir config before a model sees it.

Used by the config fact group (per value) and by ``read_file`` on config files (whole text).
The rules are textual on purpose: they also cover values tree-sitter cannot resolve, and a
file with a syntax error is still redacted.
"""

from __future__ import annotations

import re

REDACTED = "<redacted>"

_SECRET_WORDS = (
    "secret",
    "password",
    "passwd",
    "pass",
    "pwd",
    "token",
    "api_key",
    "apikey",
    "signing_salt",
    "encryption_salt",
    "salt",
    "private_key",
    "access_key",
    "client_secret",
    "credentials",
    "auth_key",
    "dsn",
    "pin",
)
_SECRET_KEY = re.compile(r"(^|_)(" + "|".join(_SECRET_WORDS) + r")($|_)", re.IGNORECASE)

# A one-line string literal: "...", '...', or a sigil ~s"..." / ~S(...) / ~c[...].
_STRING = (
    r'"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|~[sScC](?:"[^"\n]*"|\([^)\n]*\)|\[[^\]\n]*\]|\{[^}\n]*\})'
)
# `password: "x"`, `"password" => "x"`, `password = "x"`, `@secret "x"`
_KEYED_LITERAL = re.compile(
    r"(?P<key>@?[\"']?(?P<name>\b[A-Za-z_]\w*)[\"']?(?::\s*|\s*=>\s*|\s*=\s*|\s+))"
    rf"(?P<value>{_STRING}|\d[\w.]*)"
)
# System.get_env("X", "default") and System.get_env("X") || "default"
_ENV_CALL = r"System\.(?:get_env|fetch_env!?)\(\s*"
_ENV_DEFAULT = re.compile(rf"(?P<lead>{_ENV_CALL}(?P<var>{_STRING})\s*,\s*)(?P<default>{_STRING})")
_ENV_OR = re.compile(
    rf"(?P<lead>{_ENV_CALL}(?P<var>{_STRING})?[^)\n]*\)\s*\|\|\s*)(?P<default>{_STRING})"
)
# A default that is a number or a boolean ("4000", "10", "true") is a setting, not a secret,
# unless the variable's name says otherwise (DB_PIN, LICENSE_KEY) or is not a literal.
_PLAIN_SETTING = re.compile(r"[\"']?(?:\d+|true|false)[\"']?")
_KEY_WORD = re.compile(r"(^|_)key($|_)", re.IGNORECASE)
# scheme://user:password@host
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/\s\"'@]+:)([^@\s\"']+)(@)")
_PEM_BLOCK = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL
)


def is_secret_key(name: str) -> bool:
    """``secret_key_base``, ``db_password``, ``api_key``, ``signing_salt``... (not ``passive``)."""
    return bool(_SECRET_KEY.search(name.strip(":@\"' ")))


def redact_text(text: str) -> str:
    """Elixir source with every secret literal replaced by ``"<redacted>"``."""
    text = _PEM_BLOCK.sub(REDACTED, text)
    text = _ENV_DEFAULT.sub(_redact_env_default, text)
    text = _ENV_OR.sub(_redact_env_default, text)
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}\3", text)
    return _KEYED_LITERAL.sub(_redact_keyed, text)


def _redact_env_default(match: re.Match[str]) -> str:
    if _PLAIN_SETTING.fullmatch(match["default"]) and _plain_variable(match["var"]):
        return match[0]
    return f'{match["lead"]}"{REDACTED}"'


def _plain_variable(literal: str | None) -> bool:
    name = (literal or "").strip("\"'~sScC()[]{}")
    return bool(name) and not is_secret_key(name) and not _KEY_WORD.search(name)


def _redact_keyed(match: re.Match[str]) -> str:
    if not is_secret_key(match["name"]):
        return match[0]
    return f'{match["key"]}"{REDACTED}"'


def redact_value(key: str, value_text: str) -> str:
    """A config value shown under ``key``: fully hidden when the key names a secret and the
    value is a literal; otherwise only the secret parts inside it (env defaults, URLs)."""
    if is_secret_key(key) and re.fullmatch(rf"\s*(?:{_STRING}|\d[\w.]*)\s*", value_text):
        return REDACTED
    return redact_text(value_text)

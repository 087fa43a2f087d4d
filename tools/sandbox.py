"""Keeping every tool inside the project root, away from secrets and binaries.

A model chooses the paths our tools read, and project files are untrusted, so every path is
checked here: no ``..``, no absolute or URL-encoded paths, no NUL bytes, no symlink leading
out of the root, no secret files (``.env``, keys), no binary files. Config files are shown
redacted.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from tools.redact import redact_text

MAX_WHOLE_FILE_BYTES = 1024 * 1024  # larger files are read by line range only
_BINARY_PROBE_BYTES = 8192

SECRET_FILE_PATTERNS = (
    ".env",
    ".env.*",
    "*.env",
    ".envrc",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.crt",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    ".pgpass",
    "*.secret",
    "credentials*.json",
    "service-account*.json",
)
_URL_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


class SandboxError(ValueError):
    """A path the tools refuse to touch; the message is one line naming the path."""


def is_secret_file(name: str) -> bool:
    return any(fnmatch.fnmatch(name.lower(), pattern) for pattern in SECRET_FILE_PATTERNS)


@dataclass(frozen=True)
class Sandbox:
    root: Path  # resolved, absolute

    @classmethod
    def at(cls, root: Path | str) -> Sandbox:
        return cls(Path(root).resolve())

    def resolve(self, relative: str) -> Path:
        """The absolute path of ``relative`` (a path inside the root), or SandboxError."""
        _check_shape(relative)
        try:
            path = (self.root / relative).resolve()
        except (OSError, RuntimeError) as error:  # symlink loop
            raise SandboxError(f"{relative!r}: cannot be resolved ({error})") from None
        if not path.is_relative_to(self.root):
            raise SandboxError(f"{relative!r}: leads outside the project root")
        return path

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def readable_file(self, relative: str) -> Path:
        """A regular, non-secret, non-binary file inside the root."""
        path = self.resolve(relative)
        if not path.is_file():
            raise SandboxError(f"{relative!r}: no such file in the project")
        if is_secret_file(path.name):
            raise SandboxError(f"{relative!r}: refused, it looks like a secrets or key file")
        with path.open("rb") as handle:
            if b"\0" in handle.read(_BINARY_PROBE_BYTES):
                raise SandboxError(f"{relative!r}: refused, it is a binary file")
        return path

    def read_lines(
        self, relative: str, start_line: int = 1, end_line: int | None = None
    ) -> tuple[list[str], int | None]:
        """Lines ``start_line..end_line`` (1-based, inclusive) and the total line count
        (None when a large file was not read to the end). Files over 1 MiB need a range."""
        path = self.readable_file(relative)
        if start_line < 1 or (end_line is not None and end_line < start_line):
            raise SandboxError(f"{relative!r}: bad line range {start_line}..{end_line}")
        size = path.stat().st_size
        if size > MAX_WHOLE_FILE_BYTES and end_line is None:
            raise SandboxError(
                f"{relative!r}: {size} bytes is over 1 MiB; ask for a line range "
                "(start_line and end_line)"
            )
        if size <= MAX_WHOLE_FILE_BYTES:
            # Secrets are hidden wherever they are written: config, but also a key
            # hard-coded in lib/ or a test.
            text = redact_text(path.read_bytes().decode("utf-8", errors="replace"))
            lines = text.splitlines()
            return lines[start_line - 1 : end_line], len(lines)
        return _read_range(path, start_line, end_line or start_line), None


def _check_shape(relative: str) -> None:
    if "\0" in relative:
        raise SandboxError(f"{relative!r}: refused, the path contains a NUL byte")
    if _URL_ESCAPE.search(relative):
        raise SandboxError(f"{relative!r}: refused, URL-encoded paths are not accepted")
    if relative.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", relative):
        raise SandboxError(f"{relative!r}: refused, use a path relative to the project root")
    if ".." in re.split(r"[\\/]", relative):
        raise SandboxError(f"{relative!r}: refused, '..' is not allowed in paths")


def _read_range(path: Path, start_line: int, end_line: int) -> list[str]:
    lines: list[str] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number > end_line:
                break
            if number >= start_line:
                lines.append(redact_text(raw.decode("utf-8", errors="replace").rstrip("\r\n")))
    return lines

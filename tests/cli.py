"""Running ``python -m graph.run`` as a subprocess, with none of the user's settings."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

from graph.context import REPO_ROOT

# Model keys and endpoints, mixcrew settings, and LangSmith tracing (which would go online).
SETTING_PREFIXES = ("OPENAI_", "MIXCREW_", "LANGSMITH_", "LANGCHAIN_")
# tests/conftest.py points these into tmp dirs for every test; subprocesses inherit them.
ISOLATED_LOCATIONS = ("MIXCREW_CACHE_DIR", "MIXCREW_CHECKPOINT")


def is_setting(name: str) -> bool:
    """Whether an environment variable could change what mixcrew does or where it connects."""
    return name.startswith(SETTING_PREFIXES)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without settings (but with the isolated locations), plus ``extra``."""
    kept = {k: v for k, v in os.environ.items() if k in ISOLATED_LOCATIONS or not is_setting(k)}
    return {**kept, **extra}


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    cwd: Path = REPO_ROOT,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m graph.run *args`` to completion: ``stdin`` piped in (else none), text stdout
    and stderr captured."""
    return subprocess.run(
        [sys.executable, "-m", "graph.run", *args],
        capture_output=True,
        text=True,
        env=clean_env() if env is None else env,
        cwd=cwd,
        timeout=timeout,
        **({"stdin": subprocess.DEVNULL} if stdin is None else {"input": stdin}),
    )


def read_terminal(fd: int, marker: bytes | None = None, limit_s: float = 60) -> bytes:
    """What the terminal showed up to ``marker`` (to its end when None); bounded by limit_s."""
    shown = b""
    while marker is None or marker not in shown:
        ready, _, _ = select.select([fd], [], [], limit_s)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:  # the terminal closed
            break
        if not data:
            break
        shown += data
    return shown

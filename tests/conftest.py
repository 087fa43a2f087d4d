"""Isolation for every test: no developer key, endpoint or mixcrew setting reaches a test, and
nothing is written into the user's cache or state directories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import is_setting


@pytest.fixture(scope="session", autouse=True)
def _session_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Scrubs the settings once for the whole session, so module and session fixtures are
    isolated too; yields the session's state directory (the shared index cache lives there)."""
    state = tmp_path_factory.mktemp("mixcrew-state")
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if is_setting(name)]:
            patch.delenv(name)
        patch.setenv("MIXCREW_CACHE_DIR", str(state / "cache"))
        patch.setenv("MIXCREW_CHECKPOINT", str(state / "threads.sqlite"))
        yield state


@pytest.fixture(autouse=True)
def _isolated_state(
    _session_state: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own thread store and the session's index cache, whatever an earlier
    test left in ``os.environ``."""
    for name in [name for name in os.environ if is_setting(name)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("MIXCREW_CACHE_DIR", str(_session_state / "cache"))
    checkpoint = tmp_path_factory.mktemp("state") / "threads.sqlite"
    monkeypatch.setenv("MIXCREW_CHECKPOINT", str(checkpoint))

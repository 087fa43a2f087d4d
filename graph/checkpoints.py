"""Where conversations are kept: SQLite by default, PostgreSQL for teams and servers.

``open_checkpointer`` takes a file path or a ``postgresql://`` URL (flag or
``MIXCREW_CHECKPOINT``); without either, threads live in SQLite in the user's state directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHECKPOINT_ENV = "MIXCREW_CHECKPOINT"


def default_checkpoint_path() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("mixcrew")) / "threads.sqlite"


def checkpoint_target(explicit: str | None = None) -> str:
    return explicit or os.environ.get(CHECKPOINT_ENV) or str(default_checkpoint_path())


def is_postgres(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


@contextmanager
def open_checkpointer(target: str | None = None) -> Iterator[Any]:
    """A ready checkpointer for ``target``, closed on exit."""
    target = checkpoint_target(target)
    if is_postgres(target):
        from langgraph.checkpoint.postgres import PostgresSaver

        with PostgresSaver.from_conn_string(target) as saver:
            saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = Path(target).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    with SqliteSaver.from_conn_string(str(path)) as saver:
        yield saver

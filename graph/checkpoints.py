"""Where conversations are kept: SQLite by default, PostgreSQL for teams and servers.

``open_checkpointer`` takes a file path or a ``postgresql://`` URL (flag or
``MIXCREW_CHECKPOINT``); without either, threads live in SQLite in the user's state directory.
PostgreSQL goes through one connection pool, so concurrent runs share it safely.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage

from graph.messages import first_line, text_of

CHECKPOINT_ENV = "MIXCREW_CHECKPOINT"
POSTGRES_POOL_SIZE = 10
POSTGRES_CONNECT_TIMEOUT_S = 10
_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_ROOT_NAMESPACE = ""  # checkpoints of the top graph, not of a specialist's inner agent loop


@dataclass(frozen=True)
class ThreadSummary:
    """One saved conversation, as ``--threads`` lists it."""

    thread_id: str
    first_question: str
    updated_at: str  # ISO 8601, UTC: the latest checkpoint
    turns: int


def default_checkpoint_path() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("mixcrew")) / "threads.sqlite"


def checkpoint_target(explicit: str | None = None) -> str:
    return explicit or os.environ.get(CHECKPOINT_ENV) or str(default_checkpoint_path())


def is_postgres(target: str) -> bool:
    return target.startswith(("postgres://", "postgresql://"))


class CheckpointError(RuntimeError):
    """The thread store cannot be opened: one line naming it (with any password hidden)."""


@contextmanager
def open_checkpointer(target: str | None = None) -> Iterator[Any]:
    """A ready checkpointer for ``target``, closed on exit."""
    target = checkpoint_target(target)
    opener = _postgres_saver if is_postgres(target) else _sqlite_saver
    with ExitStack() as stack:
        try:
            saver = stack.enter_context(opener(target))
        except Exception as error:  # whatever stops the store from opening, said in one line
            shown = _PASSWORD_IN_URL.sub(r"\1***@", target)
            raise CheckpointError(f"thread store {shown}: {first_line(str(error), 160)}") from None
        yield saver


@contextmanager
def _sqlite_saver(target: str) -> Iterator[Any]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = Path(target).expanduser()
    if path.is_dir():  # sqlite3 would only say "unable to open database file"
        raise IsADirectoryError(f"a directory; give a file, e.g. {path / 'threads.sqlite'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with SqliteSaver.from_conn_string(str(path)) as saver:
        saver.setup()  # fail here, not mid-run, when the file cannot be written
        yield saver


@contextmanager
def _postgres_saver(url: str) -> Iterator[Any]:
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    # One plain connection first: an unreachable server fails at once with its own reason,
    # instead of a pool retrying in the background until its timeout.
    psycopg.connect(url, connect_timeout=POSTGRES_CONNECT_TIMEOUT_S).close()
    # The settings PostgresSaver needs from every connection it borrows.
    settings = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    with ConnectionPool(
        url, min_size=1, max_size=POSTGRES_POOL_SIZE, kwargs=settings, open=True
    ) as pool:
        saver = PostgresSaver(pool)
        saver.setup()  # creates or migrates the tables; a no-op once they are current
        yield saver


def list_threads(saver: Any) -> list[ThreadSummary]:
    """Every saved conversation, the most recently used first."""
    summaries = []
    for thread_id in _thread_ids(saver):
        config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": _ROOT_NAMESPACE}}
        latest = saver.get_tuple(config)
        if latest is None:
            continue
        messages = latest.checkpoint["channel_values"].get("messages", [])
        questions = [text_of(m) for m in messages if isinstance(m, HumanMessage)]
        summaries.append(
            ThreadSummary(
                thread_id=thread_id,
                first_question=first_line(questions[0], 100) if questions else "",
                updated_at=latest.checkpoint["ts"],
                turns=len(questions),
            )
        )
    return sorted(summaries, key=lambda s: s.updated_at, reverse=True)


_THREAD_IDS_SQL = "SELECT DISTINCT thread_id FROM checkpoints WHERE checkpoint_ns = ''"


def _thread_ids(saver: Any) -> list[str]:
    """Thread ids straight from the saver's table (the savers have no API that lists them)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    if isinstance(saver, SqliteSaver):
        with saver.lock:
            try:
                rows = saver.conn.execute(_THREAD_IDS_SQL).fetchall()
            except sqlite3.OperationalError as error:
                if "no such table" in str(error):  # a file that never held a run
                    return []
                raise
        return [row[0] for row in rows]
    with saver.conn.connection() as connection:  # PostgresSaver over a pool
        return [row["thread_id"] for row in connection.execute(_THREAD_IDS_SQL).fetchall()]

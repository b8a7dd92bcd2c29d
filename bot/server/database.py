"""The one database: conversations (Rasa's tracker store) and the desk's tables.

SQLite by default, PostgreSQL by setting ``VEIVALG_DATABASE_URL``.

SQLAlchemy is synchronous. A call that waits for the database on the server's event loop
stops everything else the process does, ``/ops/health`` included, for as long as the
database takes; a PostgreSQL behind a network partition can take forever. So the server's
database work runs in threads of its own (:func:`off_loop`), waited for no longer than
``VEIVALG_DATABASE_TIMEOUT_SECONDS`` (twice, plus a second: connecting and the statement),
and PostgreSQL gets the same limit for connecting and for each statement. Errors never
carry SQL parameters: they are what a person wrote.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine, make_url


def ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


# How long a connection waits for another one's lock, as SQLite's busy timeout.
SQLITE_WAIT_MS = 5000


def tune_sqlite(engine: Engine) -> None:
    """WAL lets readers work during a write; NORMAL sync skips an fsync per reply while
    keeping every committed reply across a crash of the process."""

    @sa_event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}")
        into_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def into_wal(cursor: sqlite3.Cursor) -> None:
    """Switch a database file to WAL, waiting for other connections as the busy timeout
    would: SQLite refuses the switch at once ("database is locked") while another
    connection holds a lock on a file not yet in WAL, as when several processes open a new
    database together, and it does not call the busy handler for it."""
    deadline = time.monotonic() + SQLITE_WAIT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


T = TypeVar("T")

# Threads for database work in a server process. A frozen database holds each thread that
# meets it until it answers; the event loop stays free, and later calls wait their turn
# up to their own time limit.
DATABASE_THREADS = 16
_executor: ThreadPoolExecutor | None = None


@functools.lru_cache(maxsize=1)
def timeout_seconds() -> float:
    from bot.shared.settings import Settings

    return Settings.from_env().database_timeout_seconds


def engine_options(url: str, timeout: float | None = None) -> dict[str, Any]:
    """create_engine options: no SQL parameters in errors, and for PostgreSQL a limit on
    connecting and on every statement, with TCP keepalives so that a dead peer is noticed."""
    seconds = timeout if timeout is not None else timeout_seconds()
    options: dict[str, Any] = {"hide_parameters": True, "pool_pre_ping": True}
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # SQLAlchemy 1.4 opens a new SQLite file connection for every session (NullPool)
        # and our PRAGMAs run on each: a quarter of a reply's database time. Pooled
        # connections are handed to one database thread at a time.
        # One kept connection per database thread: with fewer, busy moments opened and
        # closed overflow connections (and ran the PRAGMAs) for every session, a fifth
        # of the process's time under 50 conversations at once.
        options["poolclass"] = sa.pool.QueuePool
        options["connect_args"] = {"check_same_thread": False}
        options["pool_size"] = DATABASE_THREADS
        # Headroom for work outside those threads (a command, the loop), so nothing waits.
        options["max_overflow"] = 4
        # A file on this machine does not drop connections: no ping before every session.
        options["pool_pre_ping"] = False
    if parsed.get_backend_name() == "postgresql":
        options["pool_timeout"] = seconds
        options["connect_args"] = {
            "connect_timeout": max(1, round(seconds)),
            "options": f"-c statement_timeout={round(seconds * 1000)}",
            "keepalives": 1,
            "keepalives_idle": max(1, round(seconds)),
            "keepalives_interval": 2,
            "keepalives_count": 3,
            "tcp_user_timeout": round(seconds * 1000),
        }
    return options


def conversation_engine_options(url: sa.engine.URL) -> dict[str, Any]:
    """``engine_options`` with what Rasa's own SQL tracker store reads from the environment
    (``SQL_POOL_SIZE``, ``SQL_MAX_OVERFLOW``, ``POSTGRESQL_SCHEMA``, as in
    Rasa's documentation): an operator who sets them gets them from our store too."""
    from rasa.core.tracker_store import create_engine_kwargs

    rasa_options = create_engine_kwargs(url)
    options = engine_options(str(url))
    rasa_connect = rasa_options.pop("connect_args", {})
    options.update(rasa_options)
    if rasa_connect:
        connect = dict(options.get("connect_args") or {})
        # Both set libpq's "options": the schema's search_path and our statement timeout.
        joined = " ".join(part for part in (rasa_connect.get("options"),
                                            connect.get("options")) if part)
        connect.update(rasa_connect)
        if joined:
            connect["options"] = joined
        options["connect_args"] = connect
    return options


def make_engine(url: str) -> Engine:
    ensure_sqlite_directory(url)
    engine = sa.create_engine(url, future=True, **engine_options(url))
    if engine.dialect.name == "sqlite":
        tune_sqlite(engine)
    return engine


async def off_loop(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``work(*args, **kwargs)`` in a database thread, given up (TimeoutError) after the
    time a connection and a statement may take: the caller answers, the loop never waits."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(DATABASE_THREADS, thread_name_prefix="database")
    loop = asyncio.get_running_loop()
    call = functools.partial(work, *args, **kwargs)
    return await asyncio.wait_for(loop.run_in_executor(_executor, call),
                                  2 * timeout_seconds() + 1)


def create_tables(metadata: sa.MetaData, engine: Engine) -> None:
    """Create what is missing; two replicas starting at once may race, and then the
    loser finds the tables made by the winner. The desk's tables on the embedded SQLite
    database come from the migrations, as on PostgreSQL (bot/server/migrations.py)."""
    from bot.server.handoff.models import Base

    if metadata is Base.metadata and engine.dialect.name == "sqlite":
        from bot.server.migrations import prepare  # imports Alembic: only where it is needed

        prepare(engine)
        return
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            return
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError):
            if attempt == 2:
                raise

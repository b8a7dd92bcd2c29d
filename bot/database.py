"""The one database: conversations (Rasa's tracker store) and the desk's tables.

SQLite by default, PostgreSQL by setting ``VEIVALG_DATABASE_URL``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine, make_url


def ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def tune_sqlite(engine: Engine) -> None:
    """WAL lets readers work during a write; NORMAL sync skips an fsync per reply while
    keeping every committed reply across a crash of the process."""

    @sa_event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def make_engine(url: str) -> Engine:
    ensure_sqlite_directory(url)
    engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        tune_sqlite(engine)
    return engine


def create_tables(metadata: sa.MetaData, engine: Engine) -> None:
    """Create what is missing; two replicas starting at once may race, and then the
    loser finds the tables made by the winner."""
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            add_missing_columns(metadata, engine)
            return
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError):
            if attempt == 2:
                raise


def add_missing_columns(metadata: sa.MetaData, engine: Engine) -> None:
    """The embedded SQLite database has no migrations: a nullable column that a newer
    version added to a table it already has is added in place. PostgreSQL's schema is
    deploy/migrations' (python -m bot.migrations)."""
    if engine.dialect.name != "sqlite":
        return
    inspector = sa.inspect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present and column.nullable:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(sa.text(
                        f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))

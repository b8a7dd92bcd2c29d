"""The desk's tables come from the Alembic migrations in deploy/migrations, on every database.

PostgreSQL (scale-out): run ``python -m bot.server.migrations`` before starting the replicas
(``make run-cluster`` does). The embedded SQLite default brings itself up to date when a
process first uses it (:func:`prepare`, called by ``bot.server.database.create_tables``).

A database whose tables were made before it had migrations (``create_all``, no
``veivalg_alembic_version`` table: every SQLite database before issue #16) is adopted: it
is stamped at the revision whose tables and columns it has, then upgraded, in the same
transaction. One that matches no revision is left as it is, with an error that says why.
Rasa's ``events`` table is Rasa's own, and the purge's ``conversation_counts`` the purge's.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from bot.server.database import ensure_sqlite_directory
from bot.server.handoff.models import Base
from bot.shared.settings import PROJECT_DIR, Settings

MIGRATIONS = PROJECT_DIR / "deploy" / "migrations"
VERSION_TABLE = "veivalg_alembic_version"

# A table's name and the names of its columns: what tells the revisions apart.
Tables = dict[str, frozenset[str]]


class UnknownSchemaError(RuntimeError):
    """The desk's tables are there, without a version, and match no revision."""


# How long a starting process waits for another one's migration on SQLite.
MIGRATION_WAIT_MS = 120_000


def alembic_config(database_url: str, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    if connection is not None:
        config.attributes["connection"] = connection  # deploy/migrations/env.py uses it
    return config


def upgrade(database_url: str) -> None:
    # Not make_engine: PostgreSQL's statement timeout is for replies, not for migrations.
    ensure_sqlite_directory(database_url)
    engine = sa.create_engine(database_url, future=True, poolclass=sa.pool.NullPool,
                              hide_parameters=True)
    try:
        migrate(engine)
    finally:
        engine.dispose()


def migrate(engine: Engine) -> str | None:
    """Adopt the database if it needs it, then upgrade it to the head, all in one
    transaction; the revision it was adopted at, if it was."""
    revision_tables()  # worked out before the lock: it runs every migration in memory
    with engine.connect() as connection, waiting_long(connection), connection.begin():
        if connection.dialect.name == "sqlite":
            # pysqlite runs DDL outside any transaction unless one is open; IMMEDIATE also
            # makes a second process starting now wait, then find the work done.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config = alembic_config(engine.url.render_as_string(hide_password=True), connection)
        adopted = adopt(connection, config)
        command.upgrade(config, "head")
        if adopted is not None:
            add_missing_indexes(connection)
        return adopted


@contextlib.contextmanager
def waiting_long(connection: Connection) -> Iterator[None]:
    """On SQLite, a process starting beside one that migrates waits for it, however slow
    the machine, not the few seconds a reply may wait; the connection's own wait after.
    Set on the driver's connection: through SQLAlchemy it would begin a transaction."""
    if connection.dialect.name != "sqlite":
        yield
        return
    cursor = connection.connection.cursor()
    kept = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    cursor.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA busy_timeout={int(kept)}")
        cursor.close()


def adopt(connection: Connection, config: Config) -> str | None:
    """Stamp a database made before migrations at the revision it matches."""
    inspector = sa.inspect(connection)
    names = set(inspector.get_table_names())
    if VERSION_TABLE in names:
        return None
    revisions = revision_tables()
    ours = set().union(*(tables for _, tables in revisions))
    found = {name: frozenset(column["name"] for column in inspector.get_columns(name))
             for name in names & ours}
    if not found:
        return None  # a new database: the migrations start from the beginning
    for revision, tables in reversed(revisions):
        if tables == found:
            command.stamp(config, revision)
            return revision
    raise UnknownSchemaError(
        f"the desk's tables match no migration in {MIGRATIONS}, so nothing was changed: "
        f"{sorted(found)}; bring them to one revision's tables, or stamp the revision "
        "they are at (alembic stamp)")


@functools.lru_cache(maxsize=1)
def revision_tables() -> list[tuple[str, Tables]]:
    """Each revision, oldest first, with the tables and columns the migrations give it:
    run one by one on a scratch database in memory."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    order = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    engine = sa.create_engine("sqlite://", future=True)
    result = []
    with engine.connect() as connection, connection.begin():
        config = alembic_config("sqlite://", connection)
        for revision in order:
            command.upgrade(config, revision)
            inspector = sa.inspect(connection)
            result.append((revision, {
                name: frozenset(column["name"] for column in inspector.get_columns(name))
                for name in inspector.get_table_names() if name != VERSION_TABLE}))
    engine.dispose()
    return result


def add_missing_indexes(connection: Connection) -> None:
    """create_all never indexed a table it had made before (the insights' period index):
    an adopted database gets what the models index."""
    inspector = sa.inspect(connection)
    for table in Base.metadata.sorted_tables:
        present = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                index.create(connection)


_prepared: weakref.WeakSet[Engine] = weakref.WeakSet()
_preparing = threading.Lock()


def prepare(engine: Engine) -> None:
    """The embedded database up to date, once per engine (each part of the server that
    uses the desk's tables asks)."""
    with _preparing:
        if engine not in _prepared:
            migrate(engine)
            _prepared.add(engine)


def main() -> int:
    url = Settings.from_env().database_url
    upgrade(url)
    print("The desk's tables are up to date.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

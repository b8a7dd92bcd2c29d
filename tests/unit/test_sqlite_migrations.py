"""The embedded SQLite database gets and keeps the desk's tables through the same Alembic
migrations as PostgreSQL (tests/cluster/test_migrations.py), and a database made before
that (create_all, no version table) is adopted with its rows."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.server.database import create_tables, make_engine
from bot.server.handoff.accounts import Accounts
from bot.server.handoff.cases import CaseBook
from bot.server.handoff.models import Base
from bot.server.migrations import (
    VERSION_TABLE,
    UnknownSchemaError,
    migrate,
    revision_tables,
)
from tests.old_databases import head_revision, made_the_old_way


def versions(engine: sa.engine.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")
                    .scalars())


def differences(engine: sa.engine.Engine) -> list:
    """What Alembic would change to make the database the models' (tables, columns,
    types, nullability, indexes, unique constraints, foreign keys)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_object": lambda obj, name, type_, reflected, compare_to:
                not (type_ == "table" and name not in Base.metadata.tables),
        })
        return compare_metadata(context, Base.metadata)


def columns(engine: sa.engine.Engine, table: str) -> list[str]:
    return [column["name"] for column in sa.inspect(engine).get_columns(table)]


@pytest.fixture
def engine(tmp_path: Path) -> sa.engine.Engine:
    return make_engine(f"sqlite:///{tmp_path / 'veivalg.db'}")


def test_a_new_database_gets_exactly_the_tables_the_models_describe(
    engine: sa.engine.Engine,
) -> None:
    create_tables(Base.metadata, engine)  # where every part of the server asks for them
    assert migrate(engine) is None  # again: nothing to adopt, nothing to do
    assert versions(engine) == [head_revision()]
    assert differences(engine) == []


def test_every_revision_runs_on_sqlite() -> None:
    revisions = [revision for revision, _ in revision_tables()]
    assert revisions[0] == "0001" and revisions[-1] == head_revision()
    assert set(revision_tables()[-1][1]) == set(Base.metadata.tables)


def rows(engine: sa.engine.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table: sorted(tuple(row) for row in connection.exec_driver_sql(
            f"SELECT * FROM {table}")) for table in ("desk_counsellors", "desk_cases",
                                                     "desk_notes", "desk_sessions")}


def add_first_rows(engine: sa.engine.Engine) -> None:
    """A counsellor, a session, a case and a note, in columns every revision has."""
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO desk_counsellors (id, login, display_name, password_hash, created_at)"
            " VALUES (1, 'kari', 'Kari', 'hash', 1.0)")
        connection.exec_driver_sql(
            "INSERT INTO desk_sessions VALUES ('token-hash', 1, 9999999999.0)")
        connection.exec_driver_sql(
            "INSERT INTO desk_cases (id, sender_id, kind, status, priority, tags, summary,"
            " assignee_id, waiting_since, created_at) VALUES (7, 'person', 'live', 'open',"
            " 'medium', '[]', 'Om sykepleie', 1, 2.0, 2.0)")
        connection.exec_driver_sql(
            "INSERT INTO desk_notes VALUES (1, 7, 1, 'Ringer tilbake', 3.0)")


def kept(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> bool:
    """Every old row is there with its old values; new columns come after them."""
    return all(len(after[table]) == len(before[table]) and all(
        new[:len(old)] == old for old, new in zip(before[table], after[table], strict=True))
        for table in before)


@pytest.mark.parametrize("revision", [revision for revision, _ in revision_tables()])
def test_a_database_made_before_migrations_is_adopted_with_its_rows(
    engine: sa.engine.Engine, revision: str
) -> None:
    made_the_old_way(engine, revision)
    add_first_rows(engine)
    before = rows(engine)

    # As the server starts: the desk's accounts are the first to ask for the tables.
    accounts = Accounts(engine, 60)
    assert versions(engine) == [head_revision()]
    assert differences(engine) == []
    assert kept(before, rows(engine))
    # Columns added since work on the old rows (0002 added disabled_at).
    assert accounts.set_disabled("kari", True)
    assert [case.id for case in CaseBook(engine).unresolved()] == [7]


def test_adoption_stamps_the_revision_the_tables_match(engine: sa.engine.Engine) -> None:
    made_the_old_way(engine, "0003")
    assert migrate(engine) == "0003"
    assert migrate(engine) is None


def test_an_adopted_database_gets_an_index_create_all_never_added(
    engine: sa.engine.Engine,
) -> None:
    """Before the insights' period index the summaries had one on started_at; create_all
    never indexes a table it made before."""
    made_the_old_way(engine, head_revision())
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_conversation_summaries_period")
        connection.exec_driver_sql("CREATE INDEX ix_conversation_summaries_started_at"
                                   " ON conversation_summaries (started_at)")
    migrate(engine)
    indexes = {index["name"] for index in sa.inspect(engine).get_indexes("conversation_summaries")}
    assert "ix_conversation_summaries_period" in indexes


def test_tables_that_match_no_revision_are_left_as_they_are(engine: sa.engine.Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE desk_counsellors (id INTEGER PRIMARY KEY,"
                                   " login VARCHAR(100))")
        connection.exec_driver_sql("INSERT INTO desk_counsellors VALUES (1, 'kari')")
    with pytest.raises(UnknownSchemaError, match="desk_counsellors"):
        migrate(engine)
    assert set(sa.inspect(engine).get_table_names()) == {"desk_counsellors"}
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT * FROM desk_counsellors").all() == [(1, "kari")]


def test_a_failed_migration_leaves_the_database_as_it_was(
    engine: sa.engine.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adoption and upgrade are one transaction: SQLite's DDL too."""
    made_the_old_way(engine, "0001")
    before = columns(engine, "desk_counsellors")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("bot.server.migrations.add_missing_indexes", broken)
    with pytest.raises(RuntimeError, match="disk is full"):
        migrate(engine)
    inspector = sa.inspect(engine)
    assert VERSION_TABLE not in inspector.get_table_names()
    assert "desk_audit" not in inspector.get_table_names()
    assert columns(engine, "desk_counsellors") == before


def test_two_processes_starting_at_once_migrate_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engines = [make_engine(url) for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(engines))

    def run(engine: sa.engine.Engine) -> None:
        start.wait()
        try:
            migrate(engine)
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert versions(engines[0]) == [head_revision()]


def test_a_process_opening_a_new_database_waits_while_another_holds_it(
        tmp_path: Path) -> None:
    """SQLite refuses the switch to WAL at once, without its busy timeout, while another
    connection holds a lock on a file not yet in WAL: what four processes starting on a new
    database met. The connection waits for the lock as for any other."""
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE first_process_was_here (id INTEGER)")
    other.execute("BEGIN IMMEDIATE")  # still in SQLite's rollback journal mode
    release = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    release.start()
    try:
        with make_engine(f"sqlite:///{path}").connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        release.join()
        other.close()
    assert mode == "wal"


def test_a_start_waits_out_a_slow_migration_then_replies_wait_as_before(tmp_path: Path) -> None:
    """A migration on a slow machine may hold the database longer than a reply would wait
    (5 s); a process starting beside it waits, and its connections wait 5 s again after."""
    path = tmp_path / "slow.db"
    engine = make_engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")  # as every server's connection sets it
    other.execute("BEGIN IMMEDIATE")  # another process, mid-migration
    errors: list[BaseException] = []

    def start() -> None:
        try:
            migrate(engine)
        except BaseException as error:  # reported below
            errors.append(error)

    starting = threading.Thread(target=start)
    starting.start()
    time.sleep(6)
    other.execute("ROLLBACK")
    other.close()
    starting.join()
    assert errors == []
    assert versions(engine) == [head_revision()]
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000

"""Where a conversation's rows are: every table with a ``sender_id`` column, read from the
database's schema (so that a table added later is not forgotten), and every table that
points at one of those by a foreign key (a case's notes)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

DAY = 86_400.0
KEY = "sender_id"
EVENTS, CASES, NOTES, SESSIONS = "events", "desk_cases", "desk_notes", "desk_sessions"
COUNTS = "conversation_counts"  # the statistics: no sender id, never a conversation's row
# Conversations per transaction: short write locks, and well inside SQLite's limit on
# bound parameters.
BATCH = 500
# What the purge filters and joins by; Rasa indexes only events.sender_id.
INDEXES = (
    ("ix_events_sender_id_timestamp", EVENTS, ("sender_id", "timestamp")),
    ("ix_events_timestamp", EVENTS, ("timestamp",)),
    ("ix_desk_cases_created_at", CASES, ("created_at",)),
)
# Tables whose rows outlive a conversation with its sender id blanked: the desk's audit log
# keeps which counsellor opened which case and when (accountability for access), no longer
# whose conversation it was. Every other table with a sender_id loses the rows.
BLANKED_ON_ERASURE = frozenset({"desk_audit"})
ERASED = "[slettet]"
T = TypeVar("T")


@dataclass(frozen=True)
class Pointer:
    """A table whose rows belong to a conversation through a foreign key (notes → case)."""

    table: str
    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class Schema:
    keyed: tuple[str, ...]  # tables with a sender_id column, those pointing at others first
    pointers: tuple[Pointer, ...]
    columns: dict[str, dict[str, Any]]  # table -> column name -> reflected column

    def pointers_to(self, table: str) -> list[Pointer]:
        return [pointer for pointer in self.pointers if pointer.parent == table]

    def has(self, table: str, *columns: str) -> bool:
        return table in self.columns and all(c in self.columns[table] for c in columns)


def read_schema(engine: Engine) -> Schema:
    """Every table that holds a conversation's rows, read from the database itself, so
    that a table added later is erased without anyone remembering to list it here."""
    inspector = sa.inspect(engine)
    tables = [name for name in inspector.get_table_names() if name != COUNTS]
    columns = {name: {c["name"]: c for c in inspector.get_columns(name)} for name in tables}
    foreign = {name: inspector.get_foreign_keys(name) for name in tables}
    keyed = [name for name in tables if KEY in columns[name]]
    # A keyed table that points at another keyed table goes first (PostgreSQL checks).
    keyed.sort(key=lambda name: not any(fk["referred_table"] in keyed for fk in foreign[name]))
    owned, frontier, pointers = set(keyed), set(keyed), []
    while frontier:
        found = [
            Pointer(name, fk["constrained_columns"][0], fk["referred_table"],
                    fk["referred_columns"][0])
            for name in tables if name not in owned
            for fk in foreign[name]
            if fk["referred_table"] in frontier and len(fk["constrained_columns"]) == 1
        ]
        pointers += found
        frontier = {pointer.table for pointer in found} - owned
        owned |= frontier
    return Schema(tuple(keyed), tuple(pointers), columns)


def _table(name: str, *columns: str) -> sa.sql.TableClause:
    return sa.table(name, *(sa.column(column) for column in columns))


def _delete_where(conn: Connection, schema: Schema, table: str, column: str,
                  keys: Sequence[Any] | sa.sql.Select) -> Counter[str]:
    """Delete the rows of `table` whose `column` is in `keys`, and first every row that
    points at them."""
    deleted: Counter[str] = Counter()
    for pointer in schema.pointers_to(table):
        parent = _table(table, column, pointer.parent_column)
        owned = sa.select(parent.c[pointer.parent_column]).where(parent.c[column].in_(keys))
        deleted += _delete_where(conn, schema, pointer.table, pointer.column, owned)
    rows = _table(table, column)
    result = conn.execute(sa.delete(rows).where(rows.c[column].in_(keys)))
    deleted[table] += max(result.rowcount, 0)
    return deleted


def delete_conversations(conn: Connection, schema: Schema,
                         sender_ids: Sequence[str]) -> Counter[str]:
    """Every row of these conversations, in every table (in an access record, the sender
    id); rows deleted per table."""
    deleted: Counter[str] = Counter()
    for table in schema.keyed:
        if table in BLANKED_ON_ERASURE:
            rows = _table(table, KEY)
            blanked = conn.execute(sa.update(rows).where(rows.c.sender_id.in_(list(sender_ids)))
                                   .values(sender_id=ERASED)).rowcount
            deleted[f"{table} (sender id blanked)"] += max(blanked, 0)
            continue
        deleted += _delete_where(conn, schema, table, KEY, list(sender_ids))
    return deleted


def ensure_indexes(engine: Engine) -> None:
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names())
    for name, table, columns in INDEXES:
        if table not in tables or name in {ix["name"] for ix in inspector.get_indexes(table)}:
            continue
        listed = ", ".join(columns)
        try:
            if engine.dialect.name == "postgresql":
                # CONCURRENTLY: a large events table stays writable while it is indexed.
                autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
                with autocommit.connect() as conn:
                    conn.execute(sa.text(
                        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({listed})"))
            else:
                with engine.begin() as conn:
                    conn.execute(sa.text(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({listed})"))
        except sa.exc.DBAPIError as error:  # another replica is building it right now
            logger.warning("index %s not created here: %s", name, type(error).__name__)


def in_transaction(engine: Engine, work: Callable[[Connection], T], dry_run: bool = False) -> T:
    """`work` in one transaction: committed, or rolled back for a dry run."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            result = work(conn)
        except BaseException:
            transaction.rollback()
            raise
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()
        return result

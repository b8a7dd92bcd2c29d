"""Nothing personal outlives its purpose (#12): the purge after the retention period, and
the erasure of one conversation on request.

What a conversation leaves is in every table with a ``sender_id`` column (Rasa's
``events``, the desk's ``desk_cases``, and any table added later: they are found in the
schema, not listed here) and in every table that points at one of those by a foreign key
(a case's notes). Before its rows go, a conversation is added to ``conversation_counts``
(day, channel, written language, outcome, a count): statistics survive, people do not.

- Purge: a conversation goes when its last activity (its latest event, or the latest
  thing done with its cases) is older than ``VEIVALG_RETENTION_DAYS``, or
  ``VEIVALG_CRISIS_RETENTION_DAYS`` when it has a crisis case. A callback case loses the
  question, the contact details and the notes after ``VEIVALG_CALLBACK_RETENTION_DAYS``.
  Every Rasa server runs it hourly (one at a time), and ``python -m bot.retention purge``.
- Erasure: :func:`erase_conversation`, from the desk, the web chat or
  ``python -m bot.retention erase SENDER_ID``.

docs/privacy.md is the record of what is kept, where, why and for how long.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sqlalchemy.engine import Connection, Engine

from bot.database import create_tables, make_engine
from bot.settings import Settings

logger = logging.getLogger(__name__)

DAY = 86_400.0
KEY = "sender_id"
EVENTS, CASES, NOTES, SESSIONS = "events", "desk_cases", "desk_notes", "desk_sessions"
# Conversations per transaction: short write locks, and well inside SQLite's limit on
# bound parameters.
BATCH = 500
# How long an expired desk session row is kept (it tells the desk why a socket closed).
EXPIRED_SESSION_SECONDS = DAY
# At most this long after a server starts before its first purge; replicas spread out.
FIRST_PURGE_SECONDS = 120.0
LOCK_NAME = "veivalg:retention:purge"
LOCK_SECONDS = 30 * 60
PG_LOCK_KEY = 0x7665_6976  # "veiv": the purge's PostgreSQL advisory lock
OSLO = ZoneInfo("Europe/Oslo")
T = TypeVar("T")
CRISIS_TAG, CALLBACK, RESOLVED = "crisis", "callback", "resolved"

counts_metadata = sa.MetaData()
counts = sa.Table(
    "conversation_counts", counts_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("day", sa.String(10), nullable=False),  # Oslo date the conversation began
    # conversation, live_case, crisis_case or callback_case
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("channel", sa.String(50), nullable=False),
    sa.Column("language", sa.String(5), nullable=False),
    # a conversation: bot, handoff, callback or crisis; a case: its status
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("messages", sa.Integer, nullable=False),  # what the people wrote, in messages
    sa.UniqueConstraint("day", "kind", "channel", "language", "outcome",
                        name="uq_conversation_counts"),
)
COUNT_KEY = ("day", "kind", "channel", "language", "outcome")

# What the purge filters and joins by; Rasa indexes only events.sender_id.
INDEXES = (
    ("ix_events_sender_id_timestamp", EVENTS, ("sender_id", "timestamp")),
    ("ix_events_timestamp", EVENTS, ("timestamp",)),
    ("ix_desk_cases_created_at", CASES, ("created_at",)),
)


@dataclass(frozen=True)
class Retention:
    """Days after the last activity: every conversation, crisis cases, callback cases."""

    days: float = 30
    crisis_days: float = 90
    callback_days: float = 14

    @classmethod
    def from_settings(cls, settings: Settings) -> Retention:
        return cls(settings.retention_days, settings.crisis_retention_days,
                   settings.callback_retention_days)


# --- the schema: where a conversation's rows are ------------------------------------------

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
    tables = [name for name in inspector.get_table_names() if name != counts.name]
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
    """Every row of these conversations, in every table; rows deleted per table."""
    deleted: Counter[str] = Counter()
    for table in schema.keyed:
        deleted += _delete_where(conn, schema, table, KEY, list(sender_ids))
    return deleted


def prepare(engine: Engine) -> Schema:
    """The counts table and the indexes the purge needs; then the schema as it is now."""
    create_tables(counts_metadata, engine)
    ensure_indexes(engine)
    return read_schema(engine)


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


# --- what a conversation was, for the counts and the decision ------------------------------

@dataclass
class CaseFacts:
    id: int
    kind: str
    status: str
    crisis: bool
    channel: str
    language: str
    created: float
    last: float  # latest of opened, first reply, resolved, latest note


@dataclass
class ConversationFacts:
    first: float | None = None
    last: float | None = None
    messages: int = 0
    channel: str = ""
    language: str = ""
    cases: list[CaseFacts] = field(default_factory=list)

    @property
    def last_activity(self) -> float:
        return max([self.last or 0.0, *(case.last for case in self.cases)])

    @property
    def crisis(self) -> bool:
        return any(case.crisis for case in self.cases)

    def retention_days(self, retention: Retention) -> float:
        if self.crisis:
            return retention.crisis_days
        if any(case.kind == CALLBACK for case in self.cases):
            return max(retention.days, retention.callback_days)
        return retention.days

    def outcome(self) -> str:
        if self.crisis:
            return "crisis"
        if any(case.kind != CALLBACK for case in self.cases):
            return "handoff"
        return CALLBACK if self.cases else "bot"


def _parsed(data: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _event_facts(conn: Connection, facts: dict[str, ConversationFacts]) -> None:
    e = _table(EVENTS, "id", KEY, "type_name", "timestamp", "data")
    ids = list(facts)
    is_user = e.c.type_name == "user"
    rows = conn.execute(
        sa.select(e.c.sender_id, sa.func.min(e.c.timestamp), sa.func.max(e.c.timestamp),
                  sa.func.sum(sa.case((is_user, 1), else_=0)),
                  sa.func.min(sa.case((is_user, e.c.id), else_=None)))
        .where(e.c.sender_id.in_(ids)).group_by(e.c.sender_id)
    ).all()
    first_user = {}
    for sender_id, first, last, messages, first_user_id in rows:
        conversation = facts[sender_id]
        conversation.first, conversation.last = first, last
        conversation.messages = int(messages or 0)
        if first_user_id is not None:
            first_user[first_user_id] = sender_id
    # Only the rows that say something needed: the first message (its channel) and the
    # written-language slot, not every event's data.
    for row_id, data in conn.execute(
        sa.select(e.c.id, e.c.data).where(e.c.id.in_(list(first_user)))
    ).all():
        facts[first_user[row_id]].channel = str(_parsed(data).get("input_channel") or "")
    for sender_id, data in conn.execute(
        sa.select(e.c.sender_id, e.c.data)
        .where(e.c.sender_id.in_(ids), e.c.type_name == "slot", e.c.data.like('%"language"%'))
        .order_by(e.c.id)
    ).all():
        slot = _parsed(data)
        if slot.get("name") == "language" and slot.get("value"):
            facts[sender_id].language = str(slot["value"])


def _case_facts(conn: Connection, schema: Schema, facts: dict[str, ConversationFacts]) -> None:
    c = _table(CASES, "id", KEY, "kind", "status", "priority", "tags", "channel", "language",
               "created_at", "first_reply_at", "resolved_at")
    cases: dict[int, tuple[str, CaseFacts]] = {}
    for row in conn.execute(sa.select(c).where(c.c.sender_id.in_(list(facts)))).mappings():
        try:
            tags = json.loads(row["tags"] or "[]")
        except ValueError:
            tags = []
        times = [t for t in (row["created_at"], row["first_reply_at"], row["resolved_at"]) if t]
        cases[row["id"]] = (row[KEY], CaseFacts(
            id=row["id"], kind=row["kind"] or "live", status=row["status"] or "",
            crisis=row["priority"] == "urgent" or CRISIS_TAG in tags,
            channel=row["channel"] or "", language=row["language"] or "",
            created=row["created_at"] or 0.0, last=max(times, default=0.0),
        ))
    if cases and schema.has(NOTES, "case_id", "created_at"):
        n = _table(NOTES, "case_id", "created_at")
        for case_id, latest in conn.execute(
            sa.select(n.c.case_id, sa.func.max(n.c.created_at))
            .where(n.c.case_id.in_(list(cases))).group_by(n.c.case_id)
        ).all():
            case = cases[case_id][1]
            case.last = max(case.last, latest or 0.0)
    for sender_id, case in cases.values():
        facts[sender_id].cases.append(case)


def conversation_facts(conn: Connection, schema: Schema,
                       sender_ids: Sequence[str]) -> dict[str, ConversationFacts]:
    facts = {sender_id: ConversationFacts() for sender_id in sender_ids}
    if schema.has(EVENTS, KEY, "timestamp", "type_name", "data"):
        _event_facts(conn, facts)
    if schema.has(CASES, KEY, "kind", "status", "priority", "tags", "created_at"):
        _case_facts(conn, schema, facts)
    return facts


# --- counts -------------------------------------------------------------------------------

def _day(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp or time.time(), OSLO).date().isoformat()


def _case_kind(case: CaseFacts) -> str:
    if case.kind == CALLBACK:
        return "callback_case"
    return "crisis_case" if case.crisis else "live_case"


Tally = Counter[tuple[str, str, str, str, str]]


def tally(facts: Sequence[ConversationFacts]) -> tuple[Tally, Tally]:
    """(conversations, messages) per day, kind, channel, language, outcome."""
    conversations: Tally = Counter()
    messages: Tally = Counter()
    for conversation in facts:
        key = (_day(conversation.first), "conversation", conversation.channel[:50],
               conversation.language[:5], conversation.outcome())
        conversations[key] += 1
        messages[key] += conversation.messages
        for case in conversation.cases:
            conversations[(_day(case.created), _case_kind(case), case.channel[:50],
                           case.language[:5], case.status[:20])] += 1
    return conversations, messages


def add_counts(conn: Connection, conversations: Tally, messages: Tally) -> None:
    if not conversations:
        return
    rows = [{**dict(zip(COUNT_KEY, key, strict=True)), "count": n, "messages": messages[key]}
            for key, n in conversations.items()]
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(counts).values(rows)
        conn.execute(statement.on_conflict_do_update(
            index_elements=list(COUNT_KEY),
            set_={"count": counts.c["count"] + statement.excluded["count"],
                  "messages": counts.c.messages + statement.excluded.messages},
        ))
        return
    for row in rows:  # another database: add to the row, or start it
        match = [counts.c[name] == row[name] for name in COUNT_KEY]
        added = conn.execute(sa.update(counts).where(*match).values(
            count=counts.c["count"] + row["count"],
            messages=counts.c.messages + row["messages"])).rowcount
        if not added:
            conn.execute(sa.insert(counts).values(**row))


# --- the purge ----------------------------------------------------------------------------

@dataclass
class PurgeReport:
    conversations: int = 0
    kept: int = 0  # older than the shortest retention, kept (crisis, recent desk activity)
    callback_cases: int = 0  # question, contact details and notes removed
    orphan_rows: int = 0
    desk_sessions: int = 0
    rows: Counter[str] = field(default_factory=Counter)  # table -> rows deleted
    seconds: float = 0.0
    dry_run: bool = False
    # For the server's caches and the desks; never printed or logged.
    senders: list[str] = field(default_factory=list, repr=False)
    case_ids: list[int] = field(default_factory=list, repr=False)

    def lines(self) -> list[str]:
        verb = "Would purge" if self.dry_run else "Purged"
        rows = ", ".join(f"{table} {n}" for table, n in sorted(self.rows.items())) or "none"
        return [
            f"{verb} {self.conversations} conversations; kept {self.kept} older ones "
            "(crisis retention or recent desk activity).",
            f"Callback cases emptied: {self.callback_cases}. Rows without a conversation: "
            f"{self.orphan_rows}. Expired desk sessions: {self.desk_sessions}.",
            f"Rows deleted per table: {rows}.",
            f"Took {self.seconds:.2f} s.",
        ]


def _candidates(conn: Connection, schema: Schema, cutoff: float) -> list[str]:
    """Conversations with nothing newer than the cutoff: from the events (the old ones
    through the timestamp index, then a look for anything newer through the
    (sender_id, timestamp) index) and from old cases."""
    found: set[str] = set()
    if schema.has(EVENTS, KEY, "timestamp"):
        e = _table(EVENTS, KEY, "timestamp")
        newer = _table(EVENTS, KEY, "timestamp").alias("newer")
        old = sa.select(e.c.sender_id).where(e.c.timestamp < cutoff).distinct().subquery()
        found.update(conn.execute(sa.select(old.c.sender_id).where(~sa.exists().where(
            newer.c.sender_id == old.c.sender_id, newer.c.timestamp >= cutoff))).scalars())
    if schema.has(CASES, KEY, "created_at", "resolved_at"):
        c = _table(CASES, KEY, "created_at", "resolved_at")
        found.update(conn.execute(sa.select(c.c.sender_id).where(
            sa.func.coalesce(c.c.resolved_at, c.c.created_at) < cutoff).distinct()).scalars())
    return sorted(found)


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


def _purge_conversations(engine: Engine, schema: Schema, retention: Retention, now: float,
                         dry_run: bool, batch: int, report: PurgeReport) -> None:
    cutoff = now - min(retention.days, retention.crisis_days) * DAY
    with engine.connect() as conn:
        candidates = _candidates(conn, schema, cutoff)

    def purge_batch(conn: Connection, chunk: list[str]) -> tuple[list[str], list[int], Counter]:
        facts = conversation_facts(conn, schema, chunk)
        doomed = [
            sender_id for sender_id, conversation in facts.items()
            if conversation.last_activity < now - conversation.retention_days(retention) * DAY
        ]
        if not doomed:
            return [], [], Counter()
        add_counts(conn, *tally([facts[sender_id] for sender_id in doomed]))
        deleted = delete_conversations(conn, schema, doomed)
        return doomed, [case.id for s in doomed for case in facts[s].cases], deleted

    for start in range(0, len(candidates), batch):
        chunk = candidates[start:start + batch]
        doomed, case_ids, deleted = in_transaction(
            engine, lambda conn, chunk=chunk: purge_batch(conn, chunk), dry_run)
        report.kept += len(chunk) - len(doomed)
        report.conversations += len(doomed)
        report.rows += deleted
        report.senders += doomed
        report.case_ids += case_ids


def _empty_callback_cases(engine: Engine, schema: Schema, retention: Retention, now: float,
                          dry_run: bool, report: PurgeReport) -> None:
    """A callback case's question, contact details and notes go after their own period;
    what is left (topic, county, status, times) goes with the conversation."""
    if not schema.has(CASES, "kind", "contact", "question", "summary", "status"):
        return
    c = _table(CASES, "id", "kind", "created_at", "first_reply_at", "resolved_at", "contact",
               "question", "summary", "status")
    cutoff = now - retention.callback_days * DAY
    last = sa.func.coalesce(c.c.resolved_at, c.c.first_reply_at, c.c.created_at)

    def empty(conn: Connection) -> tuple[list[int], Counter]:
        deleted: Counter[str] = Counter()
        case_ids = list(conn.execute(sa.select(c.c.id).where(
            c.c.kind == CALLBACK, last < cutoff,
            sa.or_(c.c.contact.isnot(None), c.c.question.isnot(None)))).scalars())
        if schema.has(NOTES, "case_id", "created_at") and case_ids:
            n = _table(NOTES, "case_id", "created_at")
            recent = set(conn.execute(sa.select(n.c.case_id).where(
                n.c.case_id.in_(case_ids), n.c.created_at >= cutoff)).scalars())
            case_ids = [case_id for case_id in case_ids if case_id not in recent]
        for start in range(0, len(case_ids), BATCH):
            chunk = case_ids[start:start + BATCH]
            if schema.has(NOTES, "case_id"):
                deleted += _delete_where(conn, schema, NOTES, "case_id", chunk)
            # Closed as well: an emptied question cannot be answered (snoozed → resolved is
            # the desk's own "close"; resolved_at stays, so the case does not look newer).
            conn.execute(sa.update(c).where(c.c.id.in_(chunk)).values(
                contact=None, question=None, summary="", status=RESOLVED))
        return case_ids, deleted

    case_ids, deleted = in_transaction(engine, empty, dry_run)
    report.callback_cases += len(case_ids)
    report.case_ids += case_ids
    report.rows += deleted


def _seconds_column(column: dict[str, Any], timestamp: float) -> Any:
    """The cutoff in the column's own terms (epoch seconds or a date and time), or None."""
    try:
        python_type = column["type"].python_type
    except NotImplementedError:
        return None
    if python_type in (int, float):
        return timestamp
    if python_type is datetime:
        return datetime.utcfromtimestamp(timestamp)
    return None


def _purge_orphans(engine: Engine, schema: Schema, retention: Retention, now: float,
                   dry_run: bool, report: PurgeReport) -> None:
    """Rows of other keyed tables (a web chat's resume secret) for a conversation that never
    said anything: they go after the retention, judged by their created_at column."""
    for table in schema.keyed:
        if table in (EVENTS, CASES) or "created_at" not in schema.columns[table]:
            continue
        cutoff = _seconds_column(schema.columns[table]["created_at"], now - retention.days * DAY)
        if cutoff is None:
            continue
        rows = _table(table, KEY, "created_at")
        conditions = [rows.c.created_at < cutoff]
        for owner in (EVENTS, CASES):
            if schema.has(owner, KEY):
                other = _table(owner, KEY).alias(f"{owner}_owner")
                conditions.append(~sa.exists().where(other.c.sender_id == rows.c.sender_id))

        def delete_orphans(conn: Connection, rows: Any = rows,
                           conditions: list = conditions) -> Counter:
            deleted: Counter[str] = Counter()
            orphans = list(conn.execute(sa.select(rows.c.sender_id).where(*conditions)
                                        .distinct()).scalars())
            for start in range(0, len(orphans), BATCH):
                deleted += delete_conversations(conn, schema, orphans[start:start + BATCH])
            return deleted

        deleted = in_transaction(engine, delete_orphans, dry_run)
        report.rows += deleted
        report.orphan_rows += sum(deleted.values())


def _purge_desk_sessions(engine: Engine, schema: Schema, now: float, dry_run: bool,
                         report: PurgeReport) -> None:
    if not schema.has(SESSIONS, "expires_at"):
        return
    s = _table(SESSIONS, "expires_at")
    expired = in_transaction(engine, lambda conn: max(conn.execute(
        sa.delete(s).where(s.c.expires_at < now - EXPIRED_SESSION_SECONDS)).rowcount, 0),
        dry_run)
    report.desk_sessions += expired
    report.rows[SESSIONS] += expired


def purge(engine: Engine, retention: Retention, now: float | None = None,
          dry_run: bool = False, batch: int = BATCH) -> PurgeReport:
    """Delete what has outlived its retention; a dry run rolls every batch back."""
    started = time.perf_counter()
    now = time.time() if now is None else now
    report = PurgeReport(dry_run=dry_run)
    schema = prepare(engine)
    _purge_conversations(engine, schema, retention, now, dry_run, batch, report)
    _empty_callback_cases(engine, schema, retention, now, dry_run, report)
    _purge_orphans(engine, schema, retention, now, dry_run, report)
    _purge_desk_sessions(engine, schema, now, dry_run, report)
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def only_one_purger(engine: Engine, redis_url: str = "") -> Iterator[bool]:
    """Whether this process may purge now: with several replicas, one at a time (a Redis
    lock when Redis is configured, else PostgreSQL's advisory lock); SQLite has one."""
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)
        lock = client.lock(LOCK_NAME, timeout=LOCK_SECONDS)
        try:
            held = bool(lock.acquire(blocking=False))
        except redis.RedisError:
            held = False  # Redis away: skip this round rather than purge twice at once
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(redis.RedisError):
                    lock.release()
            client.close()
    elif engine.dialect.name == "postgresql":
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            held = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"),
                                     {"key": PG_LOCK_KEY}).scalar())
            try:
                yield held
            finally:
                if held:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
    else:
        yield True


def purge_once(engine: Engine, retention: Retention, redis_url: str = "",
               dry_run: bool = False) -> PurgeReport | None:
    """A purge, unless another process is purging (None then)."""
    with only_one_purger(engine, redis_url) as held:
        return purge(engine, retention, dry_run=dry_run) if held else None


# --- erasure ------------------------------------------------------------------------------

def tracker_store_of(agent_or_store: Any) -> Any:
    store = getattr(agent_or_store, "tracker_store", agent_or_store)
    return getattr(store, "_tracker_store", store)  # Rasa's FailSafeTrackerStore wraps ours


def forget_cached(store: Any, sender_ids: Sequence[str]) -> None:
    """Drop this process's cached windows (other processes notice the rows are gone)."""
    windows = getattr(store, "_windows", None)
    if windows is not None:
        for sender_id in sender_ids:
            windows.pop(sender_id, None)


def erase_now(engine: Engine, sender_id: str) -> dict[str, int]:
    """Every row of one conversation, in one transaction; the conversation is counted
    first. Rows deleted per table."""
    schema = read_schema(engine)
    create_tables(counts_metadata, engine)

    def erase(conn: Connection) -> Counter[str]:
        facts = conversation_facts(conn, schema, [sender_id])[sender_id]
        if facts.first is not None or facts.cases:
            add_counts(conn, *tally([facts]))
        return delete_conversations(conn, schema, [sender_id])

    deleted = in_transaction(engine, erase)
    return {table: n for table, n in deleted.items() if n}


async def erase_conversation(agent_or_store: Any, sender_id: str, *,
                             delivery: Any = None) -> dict[str, int]:
    """Erase one conversation everywhere at once: every row with its sender id in every
    table (and what points at them), this process's cached window, and, given the
    channel's delivery, the frames kept for the person's next connection.

    ``agent_or_store``: Rasa's agent (``app.ctx.agent``; its lock store keeps a reply from
    being half-written around the erasure, so do not call this while holding the
    conversation's lock) or the tracker store. Returns rows deleted per table. The
    database work runs in a thread, off the event loop.
    """
    store = tracker_store_of(agent_or_store)
    lock_store = getattr(agent_or_store, "lock_store", None)
    held = lock_store.lock(sender_id) if lock_store is not None else contextlib.nullcontext()
    async with held:
        deleted = await asyncio.to_thread(erase_now, store.engine, sender_id)
        forget_cached(store, [sender_id])
    forget = getattr(delivery, "forget", None)
    if forget is not None:
        await forget(sender_id)
    return deleted


def webchat_delivery(app: Any) -> Any:
    """The delivery of the server's chat channel (frames kept for a person), if any."""
    for channel in getattr(app.ctx, "input_channels", None) or []:
        delivery = getattr(channel, "delivery", None)
        if hasattr(delivery, "forget"):
            return delivery
    return None


async def erase_everywhere(app: Any, sender_id: str) -> dict[str, Any]:
    """What the server's erasure buttons call (the desk's, the web chat's): the
    conversation everywhere (:func:`erase_conversation`, with the chat's kept frames), and
    every desk drops its cases while the queue moves up."""
    store = tracker_store_of(app.ctx.agent)
    cases = _table(CASES, "id", KEY)
    case_ids = await asyncio.to_thread(_case_ids, store.engine, cases, sender_id)
    deleted = await erase_conversation(app.ctx.agent, sender_id, delivery=webchat_delivery(app))
    desk = getattr(app.ctx, "desk", None)
    if desk is not None:
        for erased in case_ids:
            await desk.hub.broadcast({"type": "conversation.erased", "case_id": erased})
        if case_ids:
            await desk.tell_queue()
    return {"erased": True, "case_ids": case_ids, "rows": deleted}


async def erase_case(app: Any, case_id: int, counsellor_id: int) -> dict[str, Any]:
    """The desk's "Slett samtalen": the case's whole conversation, on the person's request."""
    case = app.ctx.desk.cases.get(case_id)
    erased = await erase_everywhere(app, case.sender_id)
    # Who erased which case, never whose conversation it was.
    logger.info("counsellor %s erased the conversation of case %s", counsellor_id, case_id)
    return erased


def _case_ids(engine: Engine, cases: sa.sql.TableClause, sender_id: str) -> list[int]:
    if not sa.inspect(engine).has_table(CASES):
        return []
    with engine.connect() as conn:
        return list(conn.execute(sa.select(cases.c.id).where(cases.c.sender_id == sender_id)
                                 .order_by(cases.c.id)).scalars())


# --- inside the Rasa server ---------------------------------------------------------------

class RetentionSchedule(InputChannel):
    """The purge, every ``VEIVALG_PURGE_INTERVAL_MINUTES`` in every Rasa server process.

    Mounted through Rasa's channel mechanism (credentials.yml), the only way to run
    something inside its server; nobody writes to it, and it has no routes.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()

    @classmethod
    def name(cls) -> str:
        return "retention"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RetentionSchedule:
        return cls()

    async def purge_here(self, app: Any) -> PurgeReport | None:
        store = tracker_store_of(app.ctx.agent)
        report = await asyncio.to_thread(purge_once, store.engine,
                                         Retention.from_settings(self.settings),
                                         self.settings.redis_url)
        if report is None:
            logger.info("purge skipped: another server is purging")
            return None
        forget_cached(store, report.senders)
        desk = getattr(app.ctx, "desk", None)
        if desk is not None:
            for case_id in report.case_ids:
                await desk.hub.broadcast({"type": "conversation.erased", "case_id": case_id})
        logger.info("purge: %s", " ".join(report.lines()))
        return report

    async def keep_purging(self, app: Any) -> None:
        interval = self.settings.purge_interval_minutes * 60
        if interval <= 0:
            return
        await asyncio.sleep(min(interval, FIRST_PURGE_SECONDS) * random.uniform(0.5, 1.0))
        while True:
            try:
                await self.purge_here(app)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next round tries again
                logger.exception("the purge failed")
            await asyncio.sleep(interval)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("veivalg_retention", url_prefix="/retention")

        @bp.listener("after_server_start")
        async def start(app: Any, _loop: Any) -> None:
            app.ctx.retention_purge = asyncio.ensure_future(self.keep_purging(app))

        @bp.listener("before_server_stop")
        async def stop(app: Any, _loop: Any) -> None:
            task = getattr(app.ctx, "retention_purge", None)
            if task is not None:
                task.cancel()

        return bp


async def _forget_kept(redis_url: str, sender_id: str) -> None:
    from bot.redis_delivery import RedisDelivery

    delivery = RedisDelivery(redis_url)
    try:
        await delivery.forget(sender_id)
    finally:
        await delivery.close()


# --- the command --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.retention",
        description="Delete what has outlived its retention, or erase one conversation.")
    commands = parser.add_subparsers(dest="command", required=True)
    purge_command = commands.add_parser("purge", help="delete what is older than its retention")
    purge_command.add_argument("--dry-run", action="store_true",
                               help="count what would go, delete nothing")
    erase = commands.add_parser("erase", help="erase one conversation (on the person's request)")
    erase.add_argument("sender_id")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    if args.command == "purge":
        report = purge_once(engine, Retention.from_settings(settings), settings.redis_url,
                            dry_run=args.dry_run)
        if report is None:
            print("Another process is purging now; nothing done.")
            return 1
        print("\n".join(report.lines()))
        return 0
    deleted = erase_now(engine, args.sender_id)
    if settings.redis_url:  # frames kept in Redis for the person's next connection
        asyncio.run(_forget_kept(settings.redis_url, args.sender_id))
    rows = ", ".join(f"{table} {n}" for table, n in sorted(deleted.items())) or "nothing found"
    print(f"Erased: {rows}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The purge: what has outlived its retention goes, counted first (docs/privacy.md)."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.server.database import create_tables
from bot.server.retention.counts import (
    CALLBACK,
    add_counts,
    conversation_facts,
    counts_metadata,
    tally,
)
from bot.server.retention.schema import (
    BATCH,
    BLANKED_ON_ERASURE,
    CASES,
    DAY,
    EVENTS,
    KEY,
    NOTES,
    SESSIONS,
    Schema,
    _delete_where,
    _table,
    delete_conversations,
    ensure_indexes,
    in_transaction,
    read_schema,
)
from bot.shared.settings import Settings

RESOLVED = "resolved"
SATISFACTION = "satisfaction"
# How long an expired desk session row is kept (it tells the desk why a socket closed).
EXPIRED_SESSION_SECONDS = DAY
LOCK_NAME = "veivalg:retention:purge"
LOCK_SECONDS = 30 * 60
PG_LOCK_KEY = 0x7665_6976  # "veiv": the purge's PostgreSQL advisory lock


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


@dataclass
class PurgeReport:
    conversations: int = 0
    kept: int = 0  # older than the shortest retention, kept (crisis, recent desk activity)
    callback_cases: int = 0  # question, contact details and notes removed
    orphan_rows: int = 0
    desk_sessions: int = 0
    comments: int = 0  # satisfaction comments emptied (the score stays: it is a count)
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
            f"{self.orphan_rows}. Expired desk sessions: {self.desk_sessions}. "
            f"Satisfaction comments emptied: {self.comments}.",
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
        if table in (EVENTS, CASES, *BLANKED_ON_ERASURE) \
                or "created_at" not in schema.columns[table]:
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


def _empty_comments(engine: Engine, schema: Schema, retention: Retention, now: float,
                    dry_run: bool, report: PurgeReport) -> None:
    """A rating's comment is what a person wrote: it goes after the conversations'
    retention, though it has no sender id (bot/server/insights/satisfaction.py)."""
    if not schema.has(SATISFACTION, "comment", "created_at"):
        return
    t = _table(SATISFACTION, "comment", "created_at")
    report.comments += in_transaction(engine, lambda conn: max(conn.execute(
        sa.update(t).where(t.c.created_at < now - retention.days * DAY,
                           t.c.comment.is_not(None)).values(comment=None)).rowcount, 0),
        dry_run)


def prepare(engine: Engine) -> Schema:
    """The counts table and the indexes the purge needs; then the schema as it is now."""
    create_tables(counts_metadata, engine)
    ensure_indexes(engine)
    return read_schema(engine)


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
    _empty_comments(engine, schema, retention, now, dry_run, report)
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

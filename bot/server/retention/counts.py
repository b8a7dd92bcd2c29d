"""What survives a conversation: counts for statistics, with no sender id and no text. And
the facts about a conversation that the counts and the purge's decision need."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.server.retention.schema import CASES, COUNTS, EVENTS, KEY, NOTES, Schema, _table

if TYPE_CHECKING:
    from bot.server.retention.purge import Retention

OSLO = ZoneInfo("Europe/Oslo")
CRISIS_TAG, CALLBACK = "crisis", "callback"

counts_metadata = sa.MetaData()
counts = sa.Table(
    COUNTS, counts_metadata,
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

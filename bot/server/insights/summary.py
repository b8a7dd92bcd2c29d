"""An anonymous summary per conversation, kept up to date as its events are saved.

The tracker store calls :func:`record` in the transaction that stores a turn's events
(bot/server/storage.py), so the insights count one small row per conversation instead of
scanning every event on every page load. Nothing said is kept here; the messages the bot
could not answer go to ``unanswered_messages`` (identity numbers already removed: the
events passed ``without_identity_numbers`` first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.server.database import create_tables
from bot.server.handoff.models import Base, ConversationSummary, UnansweredMessage
from bot.server.privacy import redact_identity_numbers
from bot.shared.topics import titles

OSLO = ZoneInfo("Europe/Oslo")
# Intents that say the bot did not know the answer: Rasa's fallback and out of scope.
UNANSWERED = frozenset({"nlu_fallback", "out_of_scope"})
# Intents that name a topic beside the ones in data/topics.yml.
OTHER_TOPICS = frozenset({"ask_personal_guidance", "ask_career_centre",
                          "ask_occupation_description", "ask_occupation_path", "speak_sami"})
HANDOFF, CALLBACK = "action_handoff", "action_submit_callback"
MAX_TEXT_CHARS = 1000


def is_topic(intent: str) -> bool:
    return intent in OTHER_TOPICS or intent in titles()


@dataclass
class Turns:
    """What a batch of saved events adds to a conversation's summary."""

    first: float | None = None
    last: float | None = None
    channel: str | None = None
    language: str | None = None
    topic: str | None = None
    county: str | None = None
    messages: int = 0
    handed_over: bool = False
    callback: bool = False
    unanswered: list[dict[str, Any]] = field(default_factory=list)


def _intent(event: UserUttered) -> tuple[str, str | None]:
    """The intent, and the one ranked next when the intent is the fallback's."""
    data = event.parse_data or {}
    name = (data.get("intent") or {}).get("name") or ""
    ranking = [item.get("name") for item in data.get("intent_ranking") or []
               if item.get("name") and item.get("name") not in UNANSWERED]
    return name, (ranking[0] if ranking else None)


def summarise(events: list[Event]) -> Turns:
    turns = Turns()
    for event in events:
        if isinstance(event, UserUttered):
            text = (event.text or "").strip()
            intent, guess = _intent(event)
            turns.messages += 1
            if is_topic(intent):
                turns.topic = intent
            # A button's payload ("/intent") was not typed: nothing to learn from it.
            elif intent in UNANSWERED and text and not text.startswith("/"):
                turns.unanswered.append({
                    "text": redact_identity_numbers(text[:MAX_TEXT_CHARS]),
                    "why": intent, "guess": guess, "created_at": event.timestamp,
                })
            turns.first = turns.first or event.timestamp
            turns.last = event.timestamp
            turns.channel = turns.channel or event.input_channel
        elif isinstance(event, SlotSet) and event.value:
            if event.key == "language":
                turns.language = str(event.value)[:5]
            elif event.key == "county":
                turns.county = str(event.value)[:100]
        elif isinstance(event, ActionExecuted):
            turns.handed_over |= event.action_name == HANDOFF
            turns.callback |= event.action_name == CALLBACK
    return turns


def ensure_tables(engine: Engine) -> None:
    """The two tables the tracker store writes, on a database that may have no desk yet
    (PostgreSQL's schema is deploy/migrations'); replicas starting at once may race.
    The embedded SQLite database gets all its tables from the migrations at once."""
    if engine.dialect.name == "sqlite":
        create_tables(Base.metadata, engine)
        return
    for attempt in range(3):
        try:
            for table in (ConversationSummary.__table__, UnansweredMessage.__table__):
                table.create(engine, checkfirst=True)
            return
        except (sa.exc.ProgrammingError, sa.exc.IntegrityError, sa.exc.OperationalError):
            if attempt == 2:
                raise


def _insert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def record(session: Session, sender_id: str, events: list[Event]) -> None:
    """Add what these saved events say to the conversation's summary, and keep the
    messages the bot could not answer. Runs in the transaction that stores the events."""
    turns = summarise(events)
    if not (turns.messages or turns.handed_over or turns.callback or turns.language
            or turns.county):
        return
    s = ConversationSummary.__table__
    changes: dict[str, Any] = {
        "messages": s.c.messages + turns.messages,
        "unanswered": s.c.unanswered + len(turns.unanswered),
    }
    if turns.last is not None:
        changes["last_at"] = turns.last
    for name in ("language", "topic", "county"):
        if getattr(turns, name):
            changes[name] = getattr(turns, name)
    if turns.handed_over:
        changes["handed_over"] = True
    if turns.callback:
        changes["callback"] = True
    dialect = session.get_bind().dialect.name
    if turns.first is not None and dialect in ("postgresql", "sqlite"):
        started = datetime.fromtimestamp(turns.first, OSLO)
        statement = _insert(dialect)(s).values(
            sender_id=sender_id, started_at=turns.first, day=started.date().isoformat(),
            hour=started.hour, last_at=turns.last, channel=(turns.channel or "")[:50] or None,
            language=turns.language, topic=turns.topic, county=turns.county,
            messages=turns.messages, unanswered=len(turns.unanswered),
            handed_over=turns.handed_over, callback=turns.callback,
        )
        session.execute(statement.on_conflict_do_update(index_elements=["sender_id"],
                                                        set_=changes))
    else:  # no message in these events: a conversation already summarised, if any
        session.execute(sa.update(s).where(s.c.sender_id == sender_id).values(**changes))
    if turns.unanswered:
        language = turns.language or session.execute(
            sa.select(s.c.language).where(s.c.sender_id == sender_id)).scalar()
        session.execute(sa.insert(UnansweredMessage.__table__), [
            {**row, "sender_id": sender_id, "language": language} for row in turns.unanswered
        ])

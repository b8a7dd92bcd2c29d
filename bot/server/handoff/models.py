"""The desk's tables: counsellors, their sessions, cases, internal notes and the audit log.

They live in the same database as the conversations (``VEIVALG_DATABASE_URL``). What was
said stays in Rasa's tracker; these tables hold who handles which conversation.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from bot.server.privacy import redact_identity_numbers

Base = declarative_base()

# Columns that identify something (and must stay as they are); every other text column
# may hold what a person or a counsellor typed.
IDENTIFIERS = frozenset({
    "sender_id", "login", "password_hash", "token_hash", "secret_hash", "channel", "kind",
    "status", "priority", "language", "role", "reason", "why", "guess", "label", "intent",
    "message_id",
})


def _no_identity_numbers(_mapper: Any, _connection: Any, row: Any) -> None:
    """Whatever writes a row, no identity number is stored in its text (a counsellor's
    note, a question left for a callback)."""
    for column in row.__table__.columns:
        value = getattr(row, column.key, None)
        if isinstance(value, str) and column.key not in IDENTIFIERS:
            setattr(row, column.key, redact_identity_numbers(value))


sa.event.listen(Base, "before_insert", _no_identity_numbers, propagate=True)
sa.event.listen(Base, "before_update", _no_identity_numbers, propagate=True)


class Counsellor(Base):
    __tablename__ = "desk_counsellors"

    id = sa.Column(sa.Integer, primary_key=True)
    login = sa.Column(sa.String(100), nullable=False, unique=True)
    display_name = sa.Column(sa.String(100), nullable=False)
    password_hash = sa.Column(sa.String(300), nullable=False)
    created_at = sa.Column(sa.Float, nullable=False)
    # Set: the account cannot log in, and its sessions are gone (accounts.py disable).
    disabled_at = sa.Column(sa.Float)
    # counsellor or lead (sees the insights and the review queue); NULL: a counsellor
    # (an account made before roles existed).
    role = sa.Column(sa.String(20))


class DeskSession(Base):
    __tablename__ = "desk_sessions"

    # A hash of the cookie's token: a stolen database does not hand out logged-in sessions.
    token_hash = sa.Column(sa.String(64), primary_key=True)
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("desk_counsellors.id"), nullable=False)
    expires_at = sa.Column(sa.Float, nullable=False)


class Case(Base):
    __tablename__ = "desk_cases"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(50))
    kind = sa.Column(sa.String(20), nullable=False, default="live")  # live or callback
    status = sa.Column(sa.String(20), nullable=False, index=True)
    priority = sa.Column(sa.String(20), nullable=False, default="medium")
    language = sa.Column(sa.String(5))
    topic = sa.Column(sa.String(100))
    county = sa.Column(sa.String(100))
    tags = sa.Column(sa.Text, nullable=False, default="[]")
    summary = sa.Column(sa.Text, nullable=False, default="")
    question = sa.Column(sa.Text)
    # How a person who left a question wants to be contacted: only here, never logged.
    contact = sa.Column(sa.Text)
    assignee_id = sa.Column(sa.Integer, sa.ForeignKey("desk_counsellors.id"))
    waiting_since = sa.Column(sa.Float, nullable=False)
    first_reply_at = sa.Column(sa.Float)
    created_at = sa.Column(sa.Float, nullable=False)
    resolved_at = sa.Column(sa.Float)
    # Why the conversation came to the desk: asked, unsure, personal_guidance, crisis, sami
    # (bot/server/insights/); NULL on cases opened before reasons were kept.
    reason = sa.Column(sa.String(30))
    # When the person rated the counsellor conversation: one rating per case. The rating
    # itself is in `satisfaction`, with nothing that leads back here.
    rated_at = sa.Column(sa.Float)
    # When the person was told the wait is long: set by one conditional UPDATE
    # (CaseBook.claim_long_wait), so one replica tells them, once, across restarts.
    long_wait_told_at = sa.Column(sa.Float)


class Note(Base):
    __tablename__ = "desk_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.Integer, sa.ForeignKey("desk_cases.id"), nullable=False, index=True)
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("desk_counsellors.id"), nullable=False)
    text = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.Float, nullable=False)


class UndeliveredMessage(Base):
    """A counsellor's message that did not reach the person, and why (the channel's words,
    never the text: that is in the conversation's events). Keyed by the conversation, so
    it goes with it at the purge or an erasure (bot/server/handoff/undelivered.py)."""

    __tablename__ = "undelivered_messages"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    message_id = sa.Column(sa.String(64), nullable=False)  # as in the transcript: m<timestamp>
    channel = sa.Column(sa.String(50))
    reason = sa.Column(sa.String(30), nullable=False)  # bot/server/channels/delivery_report.py
    detail = sa.Column(sa.Text, nullable=False, default="")
    parts = sa.Column(sa.Integer, nullable=False, default=1)
    delivered_parts = sa.Column(sa.Integer, nullable=False, default=0)
    created_at = sa.Column(sa.Float, nullable=False)


class ConversationKey(Base):
    """A web chat conversation's resume secret, as a hash (bot/server/channels/ownership.py)."""

    __tablename__ = "conversation_keys"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    secret_hash = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.Float, nullable=False)


class AuditEntry(Base):
    """Which counsellor opened which conversation, and when: ids only, never what was said.
    No foreign key to the case, so that erasing a conversation leaves the record of who
    read it."""

    __tablename__ = "desk_audit"

    id = sa.Column(sa.Integer, primary_key=True)
    counsellor_id = sa.Column(sa.Integer, nullable=False, index=True)
    case_id = sa.Column(sa.Integer, nullable=False, index=True)
    sender_id = sa.Column(sa.String(255), nullable=False)
    action = sa.Column(sa.String(20), nullable=False)
    at = sa.Column(sa.Float, nullable=False, index=True)


class ConversationSummary(Base):
    """What the insights count about one conversation, kept up to date as its events are
    saved (bot/server/insights/summary.py): no text, nothing said. Goes with the conversation
    (it has the sender id), at the purge or an erasure."""

    __tablename__ = "conversation_summaries"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    started_at = sa.Column(sa.Float, nullable=False)  # the first message
    day = sa.Column(sa.String(10), nullable=False)  # its Europe/Oslo date
    last_at = sa.Column(sa.Float, nullable=False)
    hour = sa.Column(sa.Integer, nullable=False)  # Europe/Oslo hour of the first message
    channel = sa.Column(sa.String(50))
    language = sa.Column(sa.String(5))
    topic = sa.Column(sa.String(100))
    county = sa.Column(sa.String(100))
    messages = sa.Column(sa.Integer, nullable=False, default=0)
    unanswered = sa.Column(sa.Integer, nullable=False, default=0)  # fallback, out of scope
    handed_over = sa.Column(sa.Boolean, nullable=False, default=False)  # a handoff was tried
    callback = sa.Column(sa.Boolean, nullable=False, default=False)  # a question was left

    # Everything the insights count, by period: their grouped queries read the index only
    # (bench/insights.py: SQLite looked every row up once per chart without it).
    __table_args__ = (sa.Index("ix_conversation_summaries_period", "started_at", "day", "hour",
                               "channel", "language", "topic", "county", "handed_over",
                               "callback", "messages"),)


class Satisfaction(Base):
    """One answer to "Var dette nyttig?" (kind answer, score 0 or 1) or one rating of a
    counsellor conversation (kind counsellor, score 1-5, an optional comment). Anonymous:
    no sender id, no case, the time rounded to the hour."""

    __tablename__ = "satisfaction"

    id = sa.Column(sa.Integer, primary_key=True)
    kind = sa.Column(sa.String(20), nullable=False)
    score = sa.Column(sa.Integer, nullable=False)
    comment = sa.Column(sa.Text)  # emptied by the purge after VEIVALG_RETENTION_DAYS
    channel = sa.Column(sa.String(50))
    language = sa.Column(sa.String(5))
    created_at = sa.Column(sa.Float, nullable=False, index=True)


class UnansweredMessage(Base):
    """A message the bot could not answer, for a lead to label (bot/server/insights/review.py).
    Keyed by the conversation, so it goes with it at the purge or an erasure; the review
    queue shows the text only, never the sender id."""

    __tablename__ = "unanswered_messages"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    text = sa.Column(sa.Text, nullable=False)
    why = sa.Column(sa.String(30), nullable=False)  # nlu_fallback or out_of_scope
    guess = sa.Column(sa.String(100))  # the intent the NLU ranked first
    language = sa.Column(sa.String(5))
    created_at = sa.Column(sa.Float, nullable=False, index=True)
    # A lead's label: intent (an existing one), new_intent, or out_of_scope.
    label = sa.Column(sa.String(20))
    intent = sa.Column(sa.String(100))
    labelled_at = sa.Column(sa.Float)

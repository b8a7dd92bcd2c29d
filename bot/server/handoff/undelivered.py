"""Which counsellor messages did not reach the person, so that the desk goes on saying so.

The message itself stays in the conversation's events like any other; a row here marks it
by the id the transcript gives it (bot/server/channels/frames.py ``message_id``), so a desk that
loads the case later sees "ikke levert" too, not a message that looks sent.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.server.channels.delivery_report import NotDelivered
from bot.server.database import create_tables
from bot.server.handoff.models import Base, UndeliveredMessage


class UndeliveredBook:
    """Reads and writes the marks (database work: call it off the loop)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_tables(Base.metadata, engine)

    def record(self, sender_id: str, message_id: str, failure: NotDelivered) -> dict[str, Any]:
        """Mark the message as not delivered; the mark as the desk shows it."""
        with Session(self.engine) as db, db.begin():
            db.add(UndeliveredMessage(
                sender_id=sender_id, message_id=message_id, channel=failure.channel or None,
                reason=failure.reason, detail=failure.detail, parts=failure.parts,
                delivered_parts=failure.delivered_parts, created_at=time.time(),
            ))
        return failure.as_json()

    def of(self, sender_id: str) -> dict[str, dict[str, Any]]:
        """The conversation's marks by message id."""
        with Session(self.engine) as db:
            rows = db.execute(
                sa.select(UndeliveredMessage).where(UndeliveredMessage.sender_id == sender_id)
                .order_by(UndeliveredMessage.id)
            ).scalars().all()
            return {row.message_id: NotDelivered(
                row.reason, row.detail, row.channel or "", row.parts, row.delivered_parts,
            ).as_json() for row in rows}

    def mark(self, sender_id: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The transcript with ``undelivered`` on each message that did not arrive."""
        marks = self.of(sender_id)
        return [{**message, "undelivered": marks[message.get("id")]}
                if message.get("id") in marks else message for message in messages]

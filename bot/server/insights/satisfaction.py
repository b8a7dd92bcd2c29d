"""Satisfaction, stored anonymously: "Var dette nyttig?" after a bot answer (yes/no), and
a 1-5 rating with an optional comment after a conversation with a counsellor.

A row says what was answered, on which channel, in which written language, and the hour:
no sender id, no case. What keeps it honest without an id: an answer is taken once per
question the server asked (the web chat remembers the question it asked each conversation;
Telegram's buttons go when pressed), and a rating once per closed case, within a day of
its closing (``desk_cases.rated_at``).
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from sqlalchemy.engine import Engine

from bot.server import metrics
from bot.server.handoff.models import Case, Satisfaction
from bot.server.privacy import redact_identity_numbers

ANSWER, COUNSELLOR = "answer", "counsellor"
RATING_SECONDS = 24 * 3600  # a rating is taken this long after the case closed
MAX_COMMENT_CHARS = 1000
HOUR = 3600.0
# The actions that answer a question from the knowledge base (actions/answers.py etc.).
ANSWER_ACTION_PREFIX = "action_answer_"

ASK = {
    "nb": "Var dette nyttig?", "nn": "Var dette nyttig?", "en": "Was this helpful?",
}
YES_NO = {"nb": ("Ja", "Nei"), "nn": ("Ja", "Nei"), "en": ("Yes", "No")}
THANKS = {"nb": "Takk for svaret!", "nn": "Takk for svaret!", "en": "Thank you for answering!"}
RATE = {
    "nb": "Hvordan var samtalen med rådgiveren? Gi gjerne en karakter fra 1 (dårlig) til 5 "
          "(veldig bra).",
    "nn": "Korleis var samtalen med rådgivaren? Gi gjerne ein karakter frå 1 (dårleg) til 5 "
          "(svært bra).",
    "en": "How was the conversation with the counsellor? Give it a score from 1 (poor) to 5 "
          "(very good), if you like.",
}


def answered_by_bot(tracker: Any) -> bool:
    """Whether the latest turn ended with an answer from the knowledge base (and not a
    greeting, a question back or a handoff): only then is "Var dette nyttig?" asked."""
    if tracker is None or tracker.is_paused():
        return False
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return (event.action_name or "").startswith(ANSWER_ACTION_PREFIX)
    return False


def _hour(now: float) -> float:
    return now - now % HOUR  # the hour only: a row cannot be matched to a message's time


class SatisfactionBook:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def answer(self, helpful: bool, channel: str, language: str | None,
               now: float | None = None) -> None:
        self._add(ANSWER, int(helpful), None, channel, language, now)

    def rate(self, sender_id: str, score: int, comment: str | None, channel: str,
             language: str | None, now: float | None = None) -> bool:
        """Keep the rating if the person had a conversation with a counsellor that closed
        within a day and is not rated yet; False otherwise."""
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise ValueError("score: a whole number 1-5")
        now = time.time() if now is None else now
        c = Case.__table__
        with self.engine.begin() as conn:
            case_id = conn.execute(
                sa.select(c.c.id).where(
                    c.c.sender_id == sender_id, c.c.kind == "live", c.c.status == "resolved",
                    c.c.first_reply_at.is_not(None), c.c.rated_at.is_(None),
                    c.c.resolved_at >= now - RATING_SECONDS)
                .order_by(c.c.resolved_at.desc()).limit(1)
            ).scalar()
            if case_id is None:
                return False
            marked = conn.execute(sa.update(c).where(c.c.id == case_id, c.c.rated_at.is_(None))
                                  .values(rated_at=now)).rowcount
            if not marked:
                return False  # rated a moment ago, from another socket
            self._insert(conn, COUNSELLOR, score, comment, channel, language, now)
        return True

    def _add(self, kind: str, score: int, comment: str | None, channel: str,
             language: str | None, now: float | None) -> None:
        with self.engine.begin() as conn:
            self._insert(conn, kind, score, comment, channel, language,
                         time.time() if now is None else now)

    @staticmethod
    def _insert(conn: Any, kind: str, score: int, comment: str | None, channel: str,
                language: str | None, now: float) -> None:
        text = " ".join((comment or "").split())[:MAX_COMMENT_CHARS]
        conn.execute(sa.insert(Satisfaction.__table__).values(
            kind=kind, score=score, comment=redact_identity_numbers(text) or None,
            channel=channel[:50], language=(language or None) and language[:5],
            created_at=_hour(now)))
        metrics.SATISFACTION.inc(kind, str(score))

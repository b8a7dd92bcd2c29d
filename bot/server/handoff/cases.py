"""Cases: one handoff of one conversation, from the queue to a counsellor and back.

The allowed status changes are the table below and nothing else; every change goes
through :meth:`CaseBook.move`, which checks it. Taking a case is one conditional UPDATE,
so two counsellors can never both get it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.server.database import create_tables
from bot.server.handoff.models import Base, Case, Counsellor, Note

PENDING, OPEN, SNOOZED, RESOLVED = "pending", "open", "snoozed", "resolved"
PRIORITIES = ("urgent", "high", "medium", "low")  # most pressing first
URGENT = PRIORITIES[0]

# (from, to) -> what the change is called. Anything else is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (PENDING, OPEN): "take",
    (SNOOZED, OPEN): "take",
    (OPEN, OPEN): "transfer to a colleague",
    (OPEN, PENDING): "back to the queue",
    (OPEN, RESOLVED): "close",
    (PENDING, RESOLVED): "close",
    (SNOOZED, RESOLVED): "close",
}
ACTIVE = (PENDING, OPEN)


class NotAllowedError(Exception):
    """A change the transition table does not allow, or a case someone else has."""


class AlreadyTakenError(NotAllowedError):
    """Another counsellor took the case first."""


class NoSuchCaseError(LookupError):
    pass


class QueueFullError(Exception):
    """As many cases are unresolved as the desk takes (``VEIVALG_MAX_OPEN_CASES``)."""


# A person's later questions are added to their callback case, up to this length.
MAX_QUESTION_CHARS = 4000


@dataclass(frozen=True)
class NewCase:
    sender_id: str
    channel: str | None
    language: str | None
    topic: str | None
    county: str | None
    summary: str
    priority: str = "medium"
    tags: tuple[str, ...] = ()
    kind: str = "live"
    question: str | None = None
    contact: str | None = None
    reason: str | None = None  # why it came to the desk (bot/server/insights/queries.py REASONS)


def check_transition(current: str, new: str) -> str:
    try:
        return TRANSITIONS[(current, new)]
    except KeyError:
        raise NotAllowedError(f"a case cannot go from {current} to {new}") from None


def _queue_order(case: Case) -> tuple[int, float]:
    return PRIORITIES.index(case.priority), case.waiting_since


class CaseBook:
    """Reads and changes cases in the database."""

    def __init__(self, engine: Engine, max_unresolved: int | None = None) -> None:
        self.engine = engine
        # A sanity cap: past it no new case opens, except for a person in crisis.
        self.max_unresolved = max_unresolved
        create_tables(Base.metadata, engine)

    # --- reading ---------------------------------------------------------------------

    def get(self, case_id: int) -> Case:
        with Session(self.engine, expire_on_commit=False) as db:
            case = db.get(Case, case_id)
            if case is None:
                raise NoSuchCaseError(case_id)
            return case

    def active_for(self, sender_id: str) -> Case | None:
        """The person's case in the queue or with a counsellor, if any."""
        with Session(self.engine, expire_on_commit=False) as db:
            return db.execute(
                sa.select(Case).where(Case.sender_id == sender_id, Case.status.in_(ACTIVE))
                .order_by(Case.id.desc())
            ).scalars().first()

    def callback_for(self, sender_id: str) -> Case | None:
        """The person's question waiting for a callback, if any."""
        with Session(self.engine, expire_on_commit=False) as db:
            return db.execute(
                sa.select(Case).where(Case.sender_id == sender_id, Case.kind == "callback",
                                      Case.status != RESOLVED)
                .order_by(Case.id.desc())
            ).scalars().first()

    def unresolved_count(self) -> int:
        with Session(self.engine) as db:
            return db.execute(
                sa.select(sa.func.count()).select_from(Case).where(Case.status != RESOLVED)
            ).scalar_one()

    def unresolved(self) -> list[Case]:
        """Every case not closed: the queue first (urgent first, longest waiting first)."""
        with Session(self.engine, expire_on_commit=False) as db:
            cases = db.execute(
                sa.select(Case).where(Case.status != RESOLVED)
            ).scalars().all()
        return sorted(cases, key=_queue_order)

    def queue(self) -> list[Case]:
        return [case for case in self.unresolved() if case.status == PENDING]

    def position(self, case: Case) -> int | None:
        if case.status != PENDING:
            return None
        return 1 + sum(1 for other in self.queue() if _queue_order(other) < _queue_order(case))

    def names(self) -> dict[int, str]:
        with Session(self.engine) as db:
            rows = db.execute(sa.select(Counsellor.id, Counsellor.display_name)).all()
        return {row.id: row.display_name for row in rows}

    def as_json(self, case: Case, detail: bool = False) -> dict[str, Any]:
        names = self.names() if case.assignee_id else {}
        data: dict[str, Any] = {
            "id": case.id,
            "status": case.status,
            "priority": case.priority,
            "kind": case.kind,
            "language": case.language,
            "topic": case.topic,
            "county": case.county,
            "tags": json.loads(case.tags or "[]"),
            "summary": case.summary,
            "channel": case.channel,
            "sender_id": case.sender_id,
            "assignee": (
                {"id": case.assignee_id, "name": names.get(case.assignee_id, "")}
                if case.assignee_id else None
            ),
            "waiting_since": case.waiting_since,
            "first_reply_at": case.first_reply_at,
            "created_at": case.created_at,
            "position": self.position(case),
        }
        if case.kind == "callback":
            data["question"] = case.question
            if detail:
                data["contact"] = case.contact
        return data

    def notes(self, case_id: int) -> list[dict[str, Any]]:
        with Session(self.engine) as db:
            rows = db.execute(
                sa.select(Note, Counsellor.display_name)
                .join(Counsellor, Note.counsellor_id == Counsellor.id)
                .where(Note.case_id == case_id).order_by(Note.id)
            ).all()
        return [
            {"id": note.id, "text": note.text, "author": name, "created_at": note.created_at}
            for note, name in rows
        ]

    # --- changing --------------------------------------------------------------------

    def open(self, new: NewCase) -> tuple[Case, bool]:
        """A case for the person: their unresolved one of this kind if they have it (one
        live case and one callback a person at most, however often they ask), else a new
        one; QueueFullError past the desk's cap, unless the person is in crisis."""
        if new.kind == "live":
            existing = self.active_for(new.sender_id)
            if existing is not None:
                return existing, False
        else:
            existing = self.callback_for(new.sender_id)
            if existing is not None:
                return self._add_question(existing.id, new), False
        if (self.max_unresolved is not None and new.priority != URGENT
                and self.unresolved_count() >= self.max_unresolved):
            raise QueueFullError(f"{self.max_unresolved} cases are unresolved")
        now = time.time()
        case = Case(
            sender_id=new.sender_id, channel=new.channel, kind=new.kind,
            status=SNOOZED if new.kind == "callback" else PENDING,
            priority=new.priority if new.priority in PRIORITIES else "medium",
            language=new.language, topic=new.topic, county=new.county,
            tags=json.dumps(list(new.tags)), summary=new.summary,
            question=new.question, contact=new.contact, reason=new.reason,
            waiting_since=now, created_at=now,
        )
        with Session(self.engine, expire_on_commit=False) as db, db.begin():
            db.add(case)
        return case, True

    def _add_question(self, case_id: int, new: NewCase) -> Case:
        """A callback asked for again: the newer question is added, the newer contact
        replaces the older (a person correcting their number)."""
        with Session(self.engine, expire_on_commit=False) as db, db.begin():
            case = db.get(Case, case_id, with_for_update=True)
            if new.question and new.question not in (case.question or ""):
                joined = f"{case.question}\n\n{new.question}" if case.question else new.question
                case.question = joined[:MAX_QUESTION_CHARS]
            if new.contact:
                case.contact = new.contact
        return case

    def take(self, case_id: int, counsellor_id: int) -> Case:
        """Give the case to the counsellor; only one of two at the same moment wins."""
        with Session(self.engine) as db, db.begin():
            taken = db.execute(
                sa.update(Case)
                .where(Case.id == case_id, Case.status.in_((PENDING, SNOOZED)))
                .values(status=OPEN, assignee_id=counsellor_id)
            ).rowcount
        if not taken:
            case = self.get(case_id)
            if case.status == OPEN:
                raise AlreadyTakenError(f"case {case_id} is with another counsellor")
            check_transition(case.status, OPEN)
        return self.get(case_id)

    def move(self, case_id: int, new_status: str, by: int | None,
             assignee: int | None = None) -> Case:
        """Change the status (checked against the table) and the assignee."""
        with Session(self.engine, expire_on_commit=False) as db, db.begin():
            case = db.get(Case, case_id, with_for_update=True)
            if case is None:
                raise NoSuchCaseError(case_id)
            check_transition(case.status, new_status)
            if by is not None and case.status == OPEN and case.assignee_id != by:
                raise NotAllowedError("the case is with another counsellor")
            case.status = new_status
            if new_status == PENDING:
                case.assignee_id = None
                case.waiting_since = time.time()
            elif new_status == OPEN:
                case.assignee_id = assignee
            elif new_status == RESOLVED:
                case.resolved_at = time.time()
        return case

    def escalate(self, case_id: int, tag: str) -> tuple[Case, bool]:
        """Make the case urgent and tag why; True if it was not urgent before."""
        with Session(self.engine, expire_on_commit=False) as db, db.begin():
            case = db.get(Case, case_id, with_for_update=True)
            if case is None:
                raise NoSuchCaseError(case_id)
            raised = case.priority != URGENT
            case.priority = URGENT
            tags = json.loads(case.tags or "[]")
            if tag not in tags:
                case.tags = json.dumps([*tags, tag])
        return case, raised

    def claim_long_wait(self, case_id: int, long_wait_seconds: float) -> bool:
        """True for the one caller that is to tell the person their wait is long: the case
        is still in the queue, has waited that long and nobody told them yet. One
        conditional UPDATE, so of several replicas (or a restarted one) only one wins."""
        now = time.time()
        with Session(self.engine) as db, db.begin():
            return db.execute(
                sa.update(Case)
                .where(Case.id == case_id, Case.status == PENDING, Case.kind == "live",
                       Case.priority != URGENT, Case.long_wait_told_at.is_(None),
                       Case.waiting_since < now - long_wait_seconds)
                .values(long_wait_told_at=now)
            ).rowcount == 1

    def release_long_wait(self, case_id: int) -> None:
        """The reminder claimed could not be sent: the next round (any replica) tries again."""
        with Session(self.engine) as db, db.begin():
            db.execute(sa.update(Case).where(Case.id == case_id)
                       .values(long_wait_told_at=None))

    def replied(self, case_id: int) -> None:
        with Session(self.engine) as db, db.begin():
            db.execute(
                sa.update(Case).where(Case.id == case_id, Case.first_reply_at.is_(None))
                .values(first_reply_at=time.time())
            )

    def add_note(self, case_id: int, counsellor_id: int, text: str) -> dict[str, Any]:
        self.get(case_id)
        with Session(self.engine, expire_on_commit=False) as db, db.begin():
            note = Note(case_id=case_id, counsellor_id=counsellor_id, text=text,
                        created_at=time.time())
            db.add(note)
        return next(n for n in self.notes(case_id) if n["id"] == note.id)

    def open_cases_of(self, counsellor_id: int) -> list[Case]:
        with Session(self.engine, expire_on_commit=False) as db:
            return db.execute(
                sa.select(Case).where(Case.status == OPEN, Case.assignee_id == counsellor_id)
            ).scalars().all()

"""Cases in a real (SQLite) database: one unresolved case of each kind per person, a cap on
unresolved cases that a person in crisis always passes, the queue's order, escalation,
first replies, notes and what the desk is shown. The status changes, pair by pair, are in
test_case_transitions.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.server.database import make_engine
from bot.server.handoff import cases as case_module
from bot.server.handoff.cases import CaseBook, NewCase
from bot.server.handoff.models import Counsellor


def book(tmp_path: Path, cap: int | None = None) -> CaseBook:
    engine = make_engine(f"sqlite:///{tmp_path / 'cases.db'}")
    return CaseBook(engine) if cap is None else CaseBook(engine, max_unresolved=cap)


def live(sender: str, priority: str = "medium") -> NewCase:
    return NewCase(sender, "rest", "nb", None, None, "", priority=priority)


def callback(sender: str, question: str, contact: str) -> NewCase:
    return NewCase(sender, "rest", "nb", None, None, "", kind="callback",
                   question=question, contact=contact)


def test_a_second_question_joins_the_persons_waiting_callback(tmp_path: Path) -> None:
    cases = book(tmp_path)
    first, _ = cases.open(callback("p2", "Hva koster studiet?", "900 00 000"))
    again, created = cases.open(callback("p2", "Og når er fristen?", "911 11 111"))
    assert not created and again.id == first.id
    stored = cases.get(first.id)
    assert "Hva koster studiet?" in stored.question and "Og når er fristen?" in stored.question
    assert stored.contact == "911 11 111"
    assert len(cases.unresolved()) == 1


def test_past_the_cap_no_case_opens_except_for_a_person_in_crisis(tmp_path: Path) -> None:
    cases = book(tmp_path, cap=2)
    cases.open(live("a"))
    cases.open(callback("b", "Spørsmål", "900 00 000"))
    with pytest.raises(case_module.QueueFullError):
        cases.open(live("c"))
    with pytest.raises(case_module.QueueFullError):
        cases.open(callback("d", "Spørsmål", "900 00 000"))
    urgent, created = cases.open(live("e", priority="urgent"))
    assert created and urgent.priority == "urgent"
    assert cases.open(live("a"))[1] is False  # one's own case is always given back


class Clock:
    """Stands in for the time module in bot/server/handoff/cases.py: each case waits from when
    the test says."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(case_module, "time", fake)
    return fake


def counsellor(cases: CaseBook, name: str) -> int:
    with Session(cases.engine) as db, db.begin():
        row = Counsellor(login=name.lower(), display_name=name, password_hash="-",
                         created_at=0.0)
        db.add(row)
        db.flush()
        return row.id


def test_the_queue_is_urgent_first_then_the_longest_waiting(tmp_path: Path, clock: Clock) -> None:
    cases = book(tmp_path)
    opened = {}
    for at, (sender, priority) in enumerate([("medium-1", "medium"), ("low", "low"),
                                             ("urgent", "urgent"), ("high", "high"),
                                             ("medium-2", "medium"), ("taken", "urgent")]):
        clock.now = 1_000.0 + at
        opened[sender], _ = cases.open(live(sender, priority))
    cases.open(callback("question", "Spørsmål", "900 00 000"))  # waits for a callback, not here
    cases.take(opened["taken"].id, counsellor(cases, "Kari"))

    queue = [case.sender_id for case in cases.queue()]
    assert queue == ["urgent", "high", "medium-1", "medium-2", "low"]
    assert [cases.position(cases.get(opened[s].id)) for s in queue] == [1, 2, 3, 4, 5]
    assert cases.position(cases.get(opened["taken"].id)) is None  # with a counsellor
    assert [c.sender_id for c in cases.unresolved()][:2] == ["urgent", "taken"]  # both urgent
    assert {c.sender_id for c in cases.unresolved()} == {*queue, "taken", "question"}
    cases.move(opened["low"].id, "resolved", by=None)
    assert "low" not in [c.sender_id for c in cases.unresolved()]


def test_an_unknown_priority_is_medium(tmp_path: Path) -> None:
    case, _ = book(tmp_path).open(live("p", priority="asap"))
    assert case.priority == "medium"


def test_a_person_has_one_live_case_until_it_is_closed(tmp_path: Path) -> None:
    cases = book(tmp_path)
    first, created = cases.open(live("p"))
    assert created and cases.active_for("p").id == first.id
    cases.take(first.id, counsellor(cases, "Kari"))
    again, created = cases.open(live("p"))  # with a counsellor: still the same case
    assert not created and again.id == first.id
    cases.move(first.id, "resolved", by=None)
    assert cases.active_for("p") is None
    second, created = cases.open(live("p"))
    assert created and second.id != first.id
    # A question left for a callback is not a live case, and the other way round.
    cases.open(callback("q", "Spørsmål", "900 00 000"))
    assert cases.active_for("q") is None and cases.callback_for("q") is not None
    assert cases.callback_for("p") is None


def test_a_case_that_does_not_exist_is_said_so(tmp_path: Path) -> None:
    cases = book(tmp_path)
    for look in (cases.get, lambda i: cases.escalate(i, "crisis"),
                 lambda i: cases.add_note(i, 1, "notat")):
        with pytest.raises(case_module.NoSuchCaseError):
            look(404)


def test_escalating_makes_urgent_once_and_tags_why_once(tmp_path: Path) -> None:
    cases = book(tmp_path)
    case, _ = cases.open(NewCase("p", "telegram", "se", None, None, "", tags=("sami",)))
    raised, first = cases.escalate(case.id, "crisis")
    assert first and raised.priority == "urgent"
    again, second = cases.escalate(case.id, "crisis")
    assert not second
    assert cases.as_json(again)["tags"] == ["sami", "crisis"]


def test_the_first_reply_is_kept_as_the_first(tmp_path: Path, clock: Clock) -> None:
    cases = book(tmp_path)
    case, _ = cases.open(live("p"))
    assert cases.get(case.id).first_reply_at is None
    clock.now = 2_000.0
    cases.replied(case.id)
    clock.now = 3_000.0
    cases.replied(case.id)
    assert cases.get(case.id).first_reply_at == 2_000.0


def test_notes_have_their_authors_in_the_order_written(tmp_path: Path) -> None:
    cases = book(tmp_path)
    case, _ = cases.open(live("p"))
    kari, ola = counsellor(cases, "Kari"), counsellor(cases, "Ola")
    first = cases.add_note(case.id, kari, "Usikker på fagbrev.")
    cases.add_note(case.id, ola, "Ringte tilbake.")
    assert first["author"] == "Kari" and first["text"] == "Usikker på fagbrev."
    assert [(n["author"], n["text"]) for n in cases.notes(case.id)] == [
        ("Kari", "Usikker på fagbrev."), ("Ola", "Ringte tilbake.")]
    assert cases.notes(case.id + 1) == []


def test_the_desk_sees_the_assignee_by_name_and_the_contact_only_in_detail(
    tmp_path: Path,
) -> None:
    cases = book(tmp_path)
    waiting, _ = cases.open(live("p"))
    question, _ = cases.open(callback("q", "Når er fristen?", "900 00 000"))
    kari = counsellor(cases, "Kari")
    taken = cases.take(question.id, kari)

    listed = cases.as_json(taken)
    assert listed["assignee"] == {"id": kari, "name": "Kari"}
    assert (listed["status"], listed["kind"], listed["position"]) == ("open", "callback", None)
    assert listed["question"] == "Når er fristen?" and "contact" not in listed
    assert cases.as_json(taken, detail=True)["contact"] == "900 00 000"
    queued = cases.as_json(waiting)
    assert (queued["assignee"], queued["position"], queued["tags"]) == (None, 1, [])
    assert "question" not in queued


def test_a_counsellors_open_cases_are_theirs_and_open(tmp_path: Path) -> None:
    cases = book(tmp_path)
    kari, ola = counsellor(cases, "Kari"), counsellor(cases, "Ola")
    mine, _ = cases.open(live("a"))
    theirs, _ = cases.open(live("b"))
    done, _ = cases.open(live("c"))
    cases.open(live("d"))
    cases.take(mine.id, kari)
    cases.take(theirs.id, ola)
    cases.take(done.id, kari)
    cases.move(done.id, "resolved", by=kari)
    assert [case.id for case in cases.open_cases_of(kari)] == [mine.id]


def test_a_callback_question_asked_again_is_not_repeated_and_is_capped(tmp_path: Path) -> None:
    cases = book(tmp_path)
    first, _ = cases.open(callback("p", "Hva koster det?", "900 00 000"))
    cases.open(callback("p", "Hva koster det?", ""))  # the same again: kept once
    assert cases.get(first.id).question == "Hva koster det?"
    assert cases.get(first.id).contact == "900 00 000"  # an empty contact replaces nothing
    cases.open(callback("p", "x" * case_module.MAX_QUESTION_CHARS, ""))
    assert len(cases.get(first.id).question) == case_module.MAX_QUESTION_CHARS

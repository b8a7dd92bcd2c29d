"""The case status transition table (bot/server/handoff/cases.py TRANSITIONS), pair by pair: every
change it allows happens, through CaseBook on a real (SQLite) database, and every other
change is refused and leaves the case as it was."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot.server.database import make_engine
from bot.server.handoff.cases import (
    OPEN,
    PENDING,
    RESOLVED,
    SNOOZED,
    TRANSITIONS,
    AlreadyTakenError,
    Case,
    CaseBook,
    NewCase,
    NoSuchCaseError,
    NotAllowedError,
    check_transition,
)

STATUSES = (PENDING, OPEN, SNOOZED, RESOLVED)
# Written down again on purpose: a change to the table must be a change to this test too.
ALLOWED = {
    (PENDING, OPEN): "take",
    (SNOOZED, OPEN): "take",
    (OPEN, OPEN): "transfer to a colleague",
    (OPEN, PENDING): "back to the queue",
    (OPEN, RESOLVED): "close",
    (PENDING, RESOLVED): "close",
    (SNOOZED, RESOLVED): "close",
}
PAIRS = list(itertools.product(STATUSES, repeat=2))
KARI, OLA = 1, 2  # counsellor ids; the cases table does not check them on SQLite


def test_the_table_is_the_one_written_down() -> None:
    assert TRANSITIONS == ALLOWED
    assert {status for pair in TRANSITIONS for status in pair} == set(STATUSES)


@pytest.mark.parametrize(("current", "new"), PAIRS)
def test_each_pair_is_allowed_with_its_name_or_refused(current: str, new: str) -> None:
    if (current, new) in ALLOWED:
        assert check_transition(current, new) == ALLOWED[(current, new)]
    else:
        with pytest.raises(NotAllowedError, match=f"from {current} to {new}"):
            check_transition(current, new)


@pytest.fixture
def cases(tmp_path: Path) -> CaseBook:
    return CaseBook(make_engine(f"sqlite:///{tmp_path / 'cases.db'}"))


def case_in(cases: CaseBook, status: str) -> Case:
    """A case brought to ``status`` the way the desk brings it there (open: Kari has it)."""
    kind = "callback" if status == SNOOZED else "live"
    case, _ = cases.open(NewCase(f"web:{status}", "webchat", "nb", None, None, "", kind=kind,
                                 question="Når er fristen?" if kind == "callback" else None))
    if status in (OPEN, RESOLVED):
        cases.take(case.id, KARI)
    if status == RESOLVED:
        cases.move(case.id, RESOLVED, by=KARI)
    assert cases.get(case.id).status == status
    return cases.get(case.id)


@pytest.mark.parametrize(("current", "new"), PAIRS)
def test_each_pair_through_the_case_book(cases: CaseBook, current: str, new: str) -> None:
    case = case_in(cases, current)
    to = OLA if new == OPEN else None
    if (current, new) in ALLOWED:
        moved = cases.move(case.id, new, by=case.assignee_id, assignee=to)
        assert (moved.status, cases.get(case.id).status) == (new, new)
    else:
        with pytest.raises(NotAllowedError):
            cases.move(case.id, new, by=case.assignee_id, assignee=to)
        after = cases.get(case.id)
        assert (after.status, after.assignee_id) == (case.status, case.assignee_id)


@pytest.mark.parametrize("current", STATUSES)
def test_taking_a_case_follows_the_table(cases: CaseBook, current: str) -> None:
    case = case_in(cases, current)
    if (current, OPEN) in ALLOWED and current != OPEN:
        taken = cases.take(case.id, OLA)
        assert (taken.status, taken.assignee_id) == (OPEN, OLA)
    elif current == OPEN:
        with pytest.raises(AlreadyTakenError):
            cases.take(case.id, OLA)  # Kari was first
        assert cases.get(case.id).assignee_id == KARI
    else:
        with pytest.raises(NotAllowedError) as refused:
            cases.take(case.id, OLA)
        assert not isinstance(refused.value, AlreadyTakenError)
        assert cases.get(case.id).status == current


def test_only_the_counsellor_who_has_it_moves_an_open_case(cases: CaseBook) -> None:
    case = case_in(cases, OPEN)
    for new in (PENDING, RESOLVED, OPEN):
        with pytest.raises(NotAllowedError, match="another counsellor"):
            cases.move(case.id, new, by=OLA, assignee=OLA)
    assert cases.get(case.id).assignee_id == KARI
    # The desk itself (by=None) may: a counsellor whose desk vanished loses the case.
    assert cases.move(case.id, PENDING, by=None).status == PENDING


def test_what_each_change_does_besides_the_status(cases: CaseBook) -> None:
    case = case_in(cases, OPEN)
    transferred = cases.move(case.id, OPEN, by=KARI, assignee=OLA)
    assert transferred.assignee_id == OLA
    back = cases.move(case.id, PENDING, by=OLA)
    assert back.assignee_id is None and back.waiting_since > case.waiting_since
    assert back.resolved_at is None
    closed = cases.move(case.id, RESOLVED, by=None)
    assert closed.resolved_at is not None and closed.resolved_at >= back.waiting_since


def test_a_case_that_does_not_exist_cannot_move(cases: CaseBook) -> None:
    with pytest.raises(NoSuchCaseError):
        cases.move(404, RESOLVED, by=None)
    with pytest.raises(NoSuchCaseError):
        cases.take(404, KARI)

"""Cases in a real (SQLite) database: one unresolved case of each kind per person, and a
cap on unresolved cases that a person in crisis always passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.database import make_engine
from bot.handoff import cases as case_module
from bot.handoff.cases import CaseBook, NewCase


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

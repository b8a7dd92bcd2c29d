"""The long-wait reminder is told once per waiting person, whichever replica (or restarted
replica) sees the wait first: the database decides, by one conditional UPDATE
(CaseBook.claim_long_wait), on the embedded SQLite here. Two replicas on PostgreSQL:
tests/cluster/test_desk_across_replicas.py."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.server.database import make_engine
from bot.server.handoff import cases as case_module
from bot.server.handoff.cases import OPEN, CaseBook, NewCase
from bot.server.handoff.models import Base
from bot.server.handoff.service import Desk
from bot.shared.settings import Settings

LONG_WAIT = 60.0


def book(database: Path) -> CaseBook:
    """A CaseBook of its own, as each replica (or a restarted one) has."""
    return CaseBook(make_engine(f"sqlite:///{database}"))


def waiting_case(cases: CaseBook, sender: str, priority: str = "medium",
                 waited: float = LONG_WAIT + 1) -> int:
    case, _ = cases.open(NewCase(sender, "rest", "nb", None, None, "", priority=priority))
    with cases.engine.begin() as connection:
        connection.execute(sa.update(case_module.Case).where(case_module.Case.id == case.id)
                           .values(waiting_since=case.waiting_since - waited))
    return case.id


def test_of_two_replicas_and_a_restarted_one_only_the_first_claim_wins(tmp_path: Path) -> None:
    database = tmp_path / "desk.db"
    replica_a, replica_b = book(database), book(database)
    case_id = waiting_case(replica_a, "p1")
    assert replica_b.claim_long_wait(case_id, LONG_WAIT)
    assert not replica_a.claim_long_wait(case_id, LONG_WAIT)
    assert not book(database).claim_long_wait(case_id, LONG_WAIT)  # after a restart
    assert replica_a.get(case_id).long_wait_told_at is not None


@pytest.mark.parametrize("why", ["not long enough", "urgent", "taken", "callback"])
def test_nobody_is_told_who_should_not_be(tmp_path: Path, why: str) -> None:
    cases = book(tmp_path / "desk.db")
    if why == "callback":
        case, _ = cases.open(NewCase("p2", "rest", "nb", None, None, "", kind="callback",
                                     question="Spørsmål", contact="900 00 000"))
        case_id = case.id
    else:
        case_id = waiting_case(cases, "p2", priority="urgent" if why == "urgent" else "medium",
                               waited=LONG_WAIT - 5 if why == "not long enough" else LONG_WAIT + 1)
    if why == "taken":
        cases.take(case_id, counsellor_id=1)
        assert cases.get(case_id).status == OPEN
    assert not cases.claim_long_wait(case_id, LONG_WAIT)


def test_an_older_sqlite_database_gets_the_column(tmp_path: Path) -> None:
    """A database made by the version before (every desk table, desk_cases without the
    column) gains it when a CaseBook opens it: the embedded default keeps working."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    old = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        if table.name == "desk_cases":
            sa.Table(table.name, old, *[column.copy() for column in table.columns
                                        if column.name != "long_wait_told_at"])
        else:
            table.to_metadata(old)
    old.create_all(engine)
    cases = CaseBook(engine)
    columns = {column["name"] for column in sa.inspect(engine).get_columns("desk_cases")}
    assert "long_wait_told_at" in columns
    assert cases.claim_long_wait(waiting_case(cases, "p3"), LONG_WAIT)


class Person:
    """Stands in for the person's channel (bot/server/handoff/person.py PersonLink)."""

    def __init__(self, told: list[tuple[str, str]]) -> None:
        self.told = told

    async def bot_says(self, sender_id: str, response: str) -> None:
        self.told.append((sender_id, response))


async def test_two_desks_at_the_same_moment_tell_the_person_once(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings.from_env(),
                                   database_url=f"sqlite:///{tmp_path / 'desk.db'}",
                                   redis_url="")
    told: list[tuple[str, str]] = []
    desks = [Desk(settings), Desk(settings)]
    for desk in desks:
        desk.person = Person(told)
    case = desks[0].cases.get(waiting_case(desks[0].cases, "p4"))
    await asyncio.gather(*(desk.tell_long_wait(case, LONG_WAIT) for desk in desks),
                         *(desk.tell_long_wait(case, LONG_WAIT) for desk in desks))
    assert told == [("p4", "utter_long_wait")]


class AwayThenBack:
    """A channel that is away at the first reminder and back at the next."""

    def __init__(self) -> None:
        self.told: list[str] = []
        self.calls = 0

    async def bot_says(self, sender_id: str, response: str) -> None:
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("the channel is away")
        self.told.append(response)


async def test_a_reminder_that_could_not_be_sent_is_tried_again(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings.from_env(),
                                   database_url=f"sqlite:///{tmp_path / 'desk.db'}",
                                   redis_url="")
    desk = Desk(settings)
    desk.person = AwayThenBack()
    case = desk.cases.get(waiting_case(desk.cases, "p5"))
    for _ in range(3):
        await desk.tell_long_wait(case, LONG_WAIT)
    assert (desk.person.calls, desk.person.told) == (2, ["utter_long_wait"])

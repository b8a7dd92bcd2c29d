"""The insights, from a real conversation store and desk tables on SQLite: counts only."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa_sdk import Tracker

from actions.handoff import handoff_reason
from bot.server.database import make_engine
from bot.server.handoff.cases import CaseBook, NewCase
from bot.server.handoff.models import Satisfaction, UnansweredMessage
from bot.server.insights.queries import insights, percentile
from bot.server.storage import ConversationStore
from bot.shared.settings import PROJECT_DIR

DOMAIN = Domain.load(PROJECT_DIR / "domain.yml")
IDENTITY_NUMBER = "01019912368"  # invented, with valid check digits


def said(text: str, intent: str, channel: str = "webchat", ranking: list[str] = ()) -> UserUttered:
    parse = {"intent": {"name": intent, "confidence": 0.4}, "text": text,
             "intent_ranking": [{"name": name, "confidence": 0.2} for name in ranking]}
    return UserUttered(text, parse["intent"], [], parse, input_channel=channel)


async def converse(store: ConversationStore, sender: str, *turns: list[Any]) -> None:
    for events in turns:
        tracker = await store.get_or_create_tracker(sender)
        for event in events:
            tracker.update(event)
        await store.save(tracker)


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'veivalg.db'}"


async def test_conversations_are_summarised_as_they_are_saved(database: str) -> None:
    store = ConversationStore(domain=DOMAIN, url=database)
    CaseBook(make_engine(database))  # the desk's tables, as the server has them
    await converse(store, "web:a",
                   [said("Når er fristen for høyere utdanning?", "ask_higher_education_deadline"),
                    SlotSet("language", "nb"), ActionExecuted("action_answer_question")],
                   [said("takk", "thank"), ActionExecuted("utter_thank")])
    await converse(store, "telegram:1",
                   [said(f"kan dere sjekke {IDENTITY_NUMBER} for meg", "nlu_fallback",
                         "telegram", ["ask_student_finance_deadline"]),
                    SlotSet("language", "nn"), SlotSet("county", "Vestland")],
                   [said("jeg vil snakke med et menneske", "human_handoff", "telegram"),
                    ActionExecuted("action_handoff")])
    await converse(store, "web:b", [said("/ask_apprenticeship", "ask_apprenticeship")])

    found = insights(make_engine(database), days=7)
    assert found["conversations"] == 3
    assert found["contained"] == pytest.approx(2 / 3, abs=1e-3)
    assert found["messages"] == 5
    assert {row["key"]: row["conversations"] for row in found["by_channel"]} == {
        "webchat": 2, "telegram": 1}
    assert {row["key"]: row["conversations"] for row in found["by_language"]} == {
        "nb": 1, "nn": 1, "unknown": 1}
    assert {row["key"] for row in found["by_county"]} == {"Vestland", "unknown"}
    topics = {row["key"]: row["title"] for row in found["by_topic"]}
    assert topics["ask_higher_education_deadline"] == "Frister for høyere utdanning"
    assert "ask_apprenticeship" in topics  # a button pressed names a topic too
    assert sum(found["by_hour"]) == 3 and len(found["by_hour"]) == 24
    assert [day["conversations"] for day in found["by_day"]] == [3]

    with make_engine(database).connect() as connection:
        kept = connection.execute(sa.select(UnansweredMessage.__table__)).mappings().all()
    assert [(row["why"], row["guess"], row["language"]) for row in kept] == [
        ("nlu_fallback", "ask_student_finance_deadline", "nn")]
    assert IDENTITY_NUMBER not in kept[0]["text"] and "[fjernet]" in kept[0]["text"]


def test_handoffs_waits_and_callbacks_come_from_the_cases(database: str) -> None:
    engine = make_engine(database)
    cases = CaseBook(engine)
    base = dict(channel="webchat", language="nb", topic=None, county=None, summary="")
    for n, reason in enumerate(["asked", "asked", "unsure", "crisis", None]):
        case, _ = cases.open(NewCase(sender_id=f"web:{n}", reason=reason, **base,
                                     tags=("sami",) if reason is None else ()))
        if n < 3:
            with engine.begin() as connection:  # replied 60, 120, 180 s after opening
                connection.execute(sa.text(
                    "UPDATE desk_cases SET first_reply_at = created_at + :s WHERE id = :id"),
                    {"s": 60.0 * (n + 1), "id": case.id})
    callback, _ = cases.open(NewCase(sender_id="web:9", kind="callback", question="Kan dere "
                                     "ringe meg?", contact="91234567", **base))
    cases.take(callback.id, counsellor_id=1)
    cases.move(callback.id, "resolved", by=1)
    cases.open(NewCase(sender_id="web:10", kind="callback", question="Hei?",
                       contact="91234568", **base))

    found = insights(engine, days=7)
    assert found["handoffs"] == {"asked": 2, "unsure": 1, "personal_guidance": 0,
                                 "crisis": 1, "sami": 1}
    assert found["handed_over"] == 5
    assert found["waits"] == {"replied": 3, "waiting_now": 2, "median_seconds": pytest.approx(120),
                              "p90_seconds": pytest.approx(180)}
    assert found["callbacks"] == {"left": 2, "answered": 1}
    # A case older than the period is not counted.
    assert insights(engine, days=1, now=time.time() + 3 * 86_400)["handed_over"] == 0


def test_satisfaction_is_counted_by_kind(database: str) -> None:
    engine = make_engine(database)
    CaseBook(engine)  # makes the tables
    now = time.time()
    rows = [("answer", 1, None)] * 3 + [("answer", 0, None), ("counsellor", 5, "Veldig bra"),
                                         ("counsellor", 4, None), ("counsellor", 9, None)]
    with engine.begin() as connection:
        connection.execute(sa.insert(Satisfaction.__table__), [
            {"kind": kind, "score": score, "comment": comment, "created_at": now}
            for kind, score, comment in rows])
    found = insights(engine, days=7)["satisfaction"]
    assert found["answers"] == {"yes": 3, "no": 1, "share_yes": 0.75}
    assert found["counsellor"]["ratings"] == 2  # a score outside 1-5 is not one
    assert found["counsellor"]["average"] == 4.5 and found["counsellor"]["comments"] == 1


def test_a_period_outside_the_limits_is_refused(database: str) -> None:
    with pytest.raises(ValueError, match="days"):
        insights(make_engine(database), days=0)


def test_percentiles_are_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0


def tracker(*messages: str, language: str = "nb") -> Tracker:
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}
              for text, intent in (message.split("|") for message in messages)]
    return Tracker("web:x", {"language": language}, {}, events, False, None, {},
                   "action_listen")


@pytest.mark.parametrize(("messages", "language", "urgent", "reason"), [
    (["jeg vil snakke med et menneske|human_handoff"], "nb", False, "asked"),
    (["hva skal jeg bli?|ask_personal_guidance", "ja|affirm"], "nb", False,
     "personal_guidance"),
    (["blæh|nlu_fallback", "blæh blæh|nlu_fallback", "ja|affirm"], "nb", False, "unsure"),
    (["hva skal jeg bli?|ask_personal_guidance", "menneske|human_handoff"], "nb", False,
     "asked"),
    (["Bures|speak_sami"], "se", False, "sami"),
    (["jeg orker ikke mer|crisis"], "nb", True, "crisis"),
])
def test_the_case_says_why_it_came_to_the_desk(messages: list[str], language: str,
                                               urgent: bool, reason: str) -> None:
    assert handoff_reason(tracker(*messages, language=language), urgent) == reason

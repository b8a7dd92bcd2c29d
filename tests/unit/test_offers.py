"""A typed yes takes what the bot offered; a typed no declines; an offer lapses."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.handoff import ActionHandoff, ActionOpeningHours
from actions.language import ActionDetectLanguage
from actions.offers import (
    EXTERNAL_MESSAGE_PREFIX,
    OFFERED_INTENT_SLOT,
    ActionDeclineOffer,
    ActionTakeOffer,
    offer,
)
from bot.shared.crisis import said_in_crisis


class FakeDesk:
    """The desk's internal API as the action server sees it (the desk itself is tested
    against the real servers in tests/integration/test_handoff.py)."""

    def __init__(self, case: dict[str, Any] | None, hours: dict[str, Any]) -> None:
        self.case, self.hours = case, hours

    async def open_case(self, case: dict[str, Any]) -> dict[str, Any] | None:
        return self.case

    async def opening_hours(self) -> dict[str, Any]:
        return self.hours


HOURS = {"text": {"nb": "hverdager 9–15"}, "open_now": False, "counsellors_online": 0}


async def test_a_yes_puts_the_offered_intent_on_the_tracker(make_tracker, dispatcher, domain):
    tracker = make_tracker("ja takk", "affirm", **{OFFERED_INTENT_SLOT: "leave_question"})
    events = await ActionTakeOffer().run(dispatcher, tracker, domain)
    assert events[0] == SlotSet(OFFERED_INTENT_SLOT, None)
    assert events[1]["event"] == "action" and events[1]["name"] == "action_listen"
    said = events[2]
    assert said["event"] == "user"
    assert said["parse_data"]["intent"] == {"name": "leave_question", "confidence": 1.0}
    # Not shown as something the person wrote, not read for language, never crisis.
    assert said["text"].startswith(EXTERNAL_MESSAGE_PREFIX)
    assert not said_in_crisis(said["parse_data"], said["text"])
    assert dispatcher.messages == []


@pytest.mark.parametrize("offered", [None, "crisis", "restart", "ask_fagskole", "/leave_question"])
async def test_a_yes_takes_nothing_that_was_not_offered_for_a_yes(
    make_tracker, dispatcher, domain, offered
):
    tracker = make_tracker("ja", "affirm", **{OFFERED_INTENT_SLOT: offered})
    events = await ActionTakeOffer().run(dispatcher, tracker, domain)
    assert events == [SlotSet(OFFERED_INTENT_SLOT, None)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_nothing_offered"]


def test_only_what_a_yes_may_take_can_be_offered():
    assert offer("leave_question") == SlotSet(OFFERED_INTENT_SLOT, "leave_question")
    with pytest.raises(ValueError):
        offer("crisis")


async def test_a_no_declines_politely(make_tracker, dispatcher, domain):
    tracker = make_tracker("nei takk", "deny", **{OFFERED_INTENT_SLOT: "leave_question"})
    events = await ActionDeclineOffer().run(dispatcher, tracker, domain)
    assert events == [SlotSet(OFFERED_INTENT_SLOT, None)]
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_declined"]


@pytest.mark.parametrize(
    ("text", "intent", "lapses"),
    [
        ("ja", "affirm", False),
        ("nei", "deny", False),
        ("når er fristen for videregående?", "ask_upper_secondary_deadline", True),
        ("asdf", "nlu_fallback", True),
    ],
)
async def test_an_offer_lapses_at_any_other_message(
    make_tracker, dispatcher, domain, text, intent, lapses
):
    tracker = make_tracker(text, intent, offered_intent="leave_question",
                           handoff_offered=True, resume_offered=False)
    events = await ActionDetectLanguage().run(dispatcher, tracker, domain)
    expected = [SlotSet(OFFERED_INTENT_SLOT, None), SlotSet("handoff_offered", False)]
    assert [e for e in events if e["name"] != "language"] == (expected if lapses else [])


async def test_no_counsellor_now_offers_to_leave_a_question(make_tracker, dispatcher, domain):
    desk = FakeDesk({"status": "unavailable", "reason": "closed", "opening_hours": HOURS}, HOURS)
    tracker = make_tracker("kan jeg snakke med et menneske", "human_handoff")
    events = await ActionHandoff(desk).run(dispatcher, tracker, domain)
    assert SlotSet(OFFERED_INTENT_SLOT, "leave_question") in events
    assert dispatcher.messages[0]["response"] == "utter_handoff_closed_hours"


async def test_a_queued_case_offers_nothing(make_tracker, dispatcher, domain):
    desk = FakeDesk({"status": "queued", "position": 1, "wait_minutes": 5}, HOURS)
    tracker = make_tracker("kan jeg snakke med et menneske", "human_handoff")
    events = await ActionHandoff(desk).run(dispatcher, tracker, domain)
    assert all(e.get("name") != OFFERED_INTENT_SLOT for e in events)


@pytest.mark.parametrize(("open_now", "offered"), [(False, "leave_question"),
                                                   (True, "human_handoff")])
async def test_the_opening_hours_offer_the_next_step(
    make_tracker, dispatcher, domain, open_now, offered
):
    desk = FakeDesk(None, {**HOURS, "open_now": open_now, "counsellors_online": 1})
    events = await ActionOpeningHours(desk).run(
        dispatcher, make_tracker("når er dere åpne?", "ask_opening_hours"), domain)
    assert events == [SlotSet(OFFERED_INTENT_SLOT, offered)]

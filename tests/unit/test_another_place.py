"""A place named right after a career-centre answer (actions/another_place.py): the
centre there, whatever the classifier made of the message."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import KNOWLEDGE, ActionAnswerQuestion, ActionOutOfScope
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.several_questions import SeveralQuestions
from bot.shared.knowledge import render_office
from tests.unit.action_fakes import NoNlu
from tests.unit.test_follow_ups import conversation, user

CENTRE = user("finnes det et karrieresenter i nærheten av Kirkenes?", "ask_career_centre",
              [{"entity": "county", "value": "Finnmark"}])
TROMS = [{"entity": "county", "value": "Troms"}]
QUIET = ContextReading(KNOWLEDGE, NoNlu())  # a Rasa server that does not answer


def said(text: str, intent: str, entities: list[dict[str, Any]] | None = None,
         confidence: float = 0.4) -> dict[str, Any]:
    message = user(text, intent, entities)
    message["parse_data"]["intent"]["confidence"] = confidence
    return message


def troms_centre() -> str:
    centre = KNOWLEDGE.for_county("Troms")
    assert centre is not None
    office = KNOWLEDGE.nearest_office("Troms", ["Harstad"])
    return render_office(centre, office, "nb")


async def test_an_unclear_message_naming_a_town_gets_the_centre_there(dispatcher, domain):
    tracker = conversation(CENTRE, said("ok og i harstad da? søstera mi bor der",
                                        "nlu_fallback", TROMS))
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, NoNlu()), QUIET)
    events = await clarify.run(dispatcher, tracker, domain)
    assert events == [SlotSet("county", "Troms")]
    assert [m["text"] for m in dispatcher.messages] == [troms_centre()]


async def test_so_does_one_read_as_out_of_scope(dispatcher, domain):
    tracker = conversation(CENTRE, said("harstad er nærmere, går det", "out_of_scope", TROMS,
                                        0.8))
    events = await ActionOutOfScope(context=QUIET).run(dispatcher, tracker, domain)
    assert events == [SlotSet("county", "Troms")]
    assert [m["text"] for m in dispatcher.messages] == [troms_centre()]


@pytest.mark.parametrize("before", [
    user("hvordan søker jeg læreplass", "ask_apprenticeship"),  # not the career centre
])
async def test_a_town_after_another_question_is_left_to_the_bot(dispatcher, domain, before):
    tracker = conversation(before, said("jeg bor i harstad", "out_of_scope", TROMS, 0.8))
    events = await ActionOutOfScope(context=QUIET).run(dispatcher, tracker, domain)
    assert events == []
    # no career centre: where one lives, told, is thanked for (actions/situation_told.py)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_tell_me_more"]


@pytest.mark.parametrize("text", ["hva blir været i harstad i morra",
                                  "any good restaurants in harstad?"])
async def test_something_else_asked_about_the_town_is_out_of_scope(dispatcher, domain, text):
    tracker = conversation(CENTRE, said(text, "out_of_scope", TROMS, 0.9))
    events = await ActionOutOfScope(context=QUIET).run(dispatcher, tracker, domain)
    assert events == []
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"]


@pytest.mark.parametrize("text", ["kjem dei nokon gong til Harstad?",
                                  "do they ever have an office in harstad?"])
async def test_the_centre_asked_about_in_a_town_is_the_centre_there(dispatcher, domain, text):
    tracker = conversation(CENTRE, said(text, "out_of_scope", TROMS, 0.9))
    events = await ActionOutOfScope(context=QUIET).run(dispatcher, tracker, domain)
    assert events == [SlotSet("county", "Troms")]
    assert [m["text"] for m in dispatcher.messages] == [troms_centre()]


async def test_a_long_message_naming_a_town_is_a_new_question(dispatcher, domain):
    text = ("søstera mi bor i harstad og har lyst å bli elektriker men vet ikke helt "
            "hvordan hun skal komme i gang med det")
    tracker = conversation(CENTRE, said(text, "out_of_scope", TROMS, 0.8))
    await ActionOutOfScope(context=QUIET).run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"]


class EverythingIsCounsellorHelp(NoNlu):
    """A Rasa server that reads every part as what counsellors help with."""

    async def parse(self, text: str) -> dict[str, Any] | None:
        return {"text": text, "intent": {"name": "ask_counsellor_help", "confidence": 0.9},
                "entities": []}


async def test_a_place_after_a_centre_wins_over_the_parts_of_the_message(dispatcher, domain):
    """"og sambuaren min, kan ho òg få hjelp sjølv om ho bur i Bodø?" (the fallback) right
    after a career centre got what counsellors help with, from a part read alone."""
    nordland = [{"entity": "county", "value": "Nordland"}]
    tracker = conversation(CENTRE, said("og sambuaren min, kan ho òg få hjelp sjølv om ho bur i "
                                        "Bodø?", "nlu_fallback", nordland), language="nn")
    clarify = ActionClarify(SeveralQuestions(KNOWLEDGE, EverythingIsCounsellorHelp()), QUIET)
    events = await clarify.run(dispatcher, tracker, domain)
    assert events == [SlotSet("county", "Nordland")]
    assert "Nordland" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("text", ["kven skal eg kontakte? bur i Molde",
                                  "who should I contact? I live in Molde"])
async def test_whom_to_contact_in_a_town_read_as_out_of_scope_is_the_centre(
        dispatcher, domain, text):
    """"kven skal eg kontakte? bur i Molde" (0.70 out of scope) after an adult's trade
    certificate got «Det kan eg dessverre ikkje hjelpe deg med»."""
    tracker = conversation(user("kor lang praksis må eg ha?", "ask_praksiskandidat"),
                           said(text, "out_of_scope",
                                [{"entity": "county", "value": "Møre og Romsdal"}], 0.7))
    events = await ActionOutOfScope(context=QUIET).run(dispatcher, tracker, domain)
    assert [event["parse_data"]["intent"]["name"] for event in events
            if event.get("event") == "user"] == ["ask_career_centre"]


@pytest.mark.parametrize(("text", "confidence", "centre"), [
    ("hva med harstad, der jobber mannen min", 0.48, True),
    # not asked as "what about": the reading stands
    ("mannen min jobber i harstad, hvor finner han ledige jobber", 0.48, False),
    # a sure reading stands
    ("hva med harstad, der jobber mannen min", 0.8, False),
])
async def test_what_about_a_town_read_weakly_as_another_topic_gets_the_centre_there(
        dispatcher, domain, text: str, confidence: float, centre: bool) -> None:
    """"kva med haugesund, der jobbar mannen min" after a centre (0.48 finding work) got how
    to find work."""
    tracker = conversation(CENTRE, said(text, "ask_job_search", TROMS, confidence))
    answered = ActionAnswerQuestion(several=SeveralQuestions(KNOWLEDGE, NoNlu()), context=QUIET)
    await answered.run(dispatcher, tracker, domain)
    assert ([m.get("text") for m in dispatcher.messages][:1] == [troms_centre()]) is centre

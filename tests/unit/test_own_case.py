"""An application's or case's number given asks about that application (actions/own_case.py),
through the answer action and the fallback alike."""

from __future__ import annotations

from typing import Any

import pytest

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.handoff import ActionClarify
from actions.in_context import ContextReading
from actions.nlu_client import NluClient
from actions.own_case import own_case_meant, whom_to_ask_about_it
from actions.several_questions import SeveralQuestions

ASKED = ("hi, sorry to disturb. I applied in samordna opptak in april for nursing, when will "
         "I get answer? my application number is 4471")


class NoNlu(NluClient):
    """No Rasa server: every part read alone is unread."""

    def __init__(self) -> None:
        super().__init__(base_url="http://127.0.0.1:1", token="")

    async def parse(self, text: str) -> dict[str, Any] | None:
        return None


def read(make_tracker, text: str, *ranking: tuple[str, float]):
    tracker = make_tracker(text, ranking[0][0])
    tracker.latest_message["intent"]["confidence"] = ranking[0][1]
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking]
    return tracker


def said_as(events: list[dict[str, Any]]) -> list[str]:
    return [event["parse_data"]["intent"]["name"] for event in events
            if event.get("event") == "user"]


@pytest.mark.parametrize(("text", "meant"), [
    (ASKED, "ask_own_case"),
    ("søkte i april, når får jeg svar? søknadsnummeret mitt er 55821", "ask_own_case"),
    ("har du saksnr 2291 der?", "ask_own_case"),
    # no number named: as read
    ("I applied in april for nursing, when is the deadline again?", None),
])
def test_an_applications_number_asks_about_that_application(make_tracker, text, meant):
    tracker = read(make_tracker, text, ("ask_higher_education_deadline", 0.49),
                   ("ask_own_case", 0.47))
    assert own_case_meant(tracker) == meant


def test_the_number_alone_is_not_enough_when_the_reading_was_not_weighed(make_tracker):
    tracker = read(make_tracker, ASKED, ("ask_higher_education_deadline", 0.9),
                   ("ask_quotas", 0.05), ("leave_question", 0.03), ("ask_own_case", 0.01))
    assert own_case_meant(tracker) is None


async def test_the_answer_action_and_the_fallback_take_it_so(make_tracker, dispatcher, domain):
    answered = read(make_tracker, ASKED, ("ask_higher_education_deadline", 0.49),
                    ("ask_own_case", 0.47))
    several = SeveralQuestions(KNOWLEDGE, nlu=NoNlu())
    context = ContextReading(KNOWLEDGE, NoNlu())
    events = await ActionAnswerQuestion(several=several, context=context).run(
        dispatcher, answered, domain)
    assert said_as(events) == ["ask_own_case"]
    unclear = read(make_tracker, ASKED, ("nlu_fallback", 0.4),
                   ("ask_higher_education_deadline", 0.35), ("ask_own_case", 0.33))
    events = await ActionClarify(several=several, context=context).run(dispatcher, unclear, domain)
    assert said_as(events) == ["ask_own_case"]


@pytest.mark.parametrize(("text", "read_as", "meant"), [
    ("hvem kan jeg spørre om det da", "ask_about_service", "ask_own_case"),
    ("hvem skal hun kontakte da?", "nlu_fallback", "ask_own_case"),
    ("who do I call then?", "human_handoff", "ask_own_case"),
    # not whom to ask
    ("hva er dette for en tjeneste?", "ask_about_service", None),
])
def test_whom_to_ask_right_after_the_own_case_answer_is_that_answers(
        text: str, read_as: str, meant: str | None) -> None:
    """"hvem kan jeg spørre om det da" (0.77 what this service is) after the bot said it
    cannot see one's application got what this service is."""
    from bot.shared.knowledge import render_answer
    from tests.unit.test_follow_ups import conversation, user

    answer = render_answer(KNOWLEDGE.for_intent("ask_own_case"), "nb")
    tracker = conversation(user("kan dere sjekke søknaden min på vigo?", "ask_own_case"),
                           {"event": "bot", "text": answer}, user(text, read_as))
    assert whom_to_ask_about_it(tracker, KNOWLEDGE) == meant
    # after another answer, it is not the own case's
    tracker = conversation(user("når er fristen for vgs", "ask_upper_secondary_deadline"),
                           user(text, read_as))
    assert whom_to_ask_about_it(tracker, KNOWLEDGE) is None


def test_the_answer_says_whom_to_contact_in_its_own_sentence() -> None:
    """Quoted alone, «… kontakte dem direkte» named no one."""
    from actions.answer_aspects import sentences_on
    from bot.shared.knowledge import render_answer

    for language, asked in (("nb", "hvem kan jeg spørre om det"), ("nn", "kven skal eg kontakte"),
                            ("en", "who do I contact")):
        quoted = sentences_on(asked, render_answer(KNOWLEDGE.for_intent("ask_own_case"),
                                                   language))
        assert any("Samordna opptak" in sentence and "Lånekassen" in sentence
                   for sentence in quoted), (language, quoted)

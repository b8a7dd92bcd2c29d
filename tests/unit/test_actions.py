"""Every custom action, run on a tracker loaded from JSON, as rasa-demo tests them."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.language import ActionDetectLanguage
from bot.knowledge import render_answer


@pytest.mark.parametrize(
    ("text", "slot_before", "events"),
    [
        ("Kva er fristen for å søkje?", "nb", [SlotSet("language", "nn")]),
        ("When is the deadline?", "nb", [SlotSet("language", "en")]),
        ("Hvordan søker jeg?", "nn", [SlotSet("language", "nb")]),
        ("Hvordan søker jeg?", "nb", []),  # unchanged: no event
        ("takk", "nn", []),  # tells nothing: keep Nynorsk
        ("/ask_student_finance_deadline", "nn", []),  # a button press is not writing
        ("EXTERNAL: goodbye", "nb", []),  # triggered through the HTTP API
    ],
)
async def test_detect_language_sets_the_slot_only_when_the_message_tells(
    make_tracker, dispatcher, domain, text: str, slot_before: str, events: list
) -> None:
    tracker = make_tracker(text=text, language=slot_before)
    assert await ActionDetectLanguage().run(dispatcher, tracker, domain) == events
    assert dispatcher.messages == []


GENERAL_INTENTS = sorted({e.intent for e in KNOWLEDGE.entries.values() if e.county is None})


@pytest.mark.parametrize("intent", GENERAL_INTENTS)
@pytest.mark.parametrize(
    ("language", "label"), [("nb", "Kilde"), ("nn", "Kjelde"), ("en", "Source")]
)
async def test_answer_question_sends_the_entries_in_the_persons_language(
    make_tracker, dispatcher, domain, intent: str, language: str, label: str
) -> None:
    tracker = make_tracker(intent=intent, language=language)
    events = await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert events == []
    # One answer: the entries' texts together, then their sources.
    [message] = dispatcher.messages
    assert message["text"] == render_answer(KNOWLEDGE.for_intent(intent), language)
    assert f"\n{label}: https://" in message["text"]


async def test_answer_question_without_an_answer_on_file_says_so(
    make_tracker, dispatcher, domain
) -> None:
    tracker = make_tracker(intent="ask_something_we_do_not_know")
    await ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert [message["response"] for message in dispatcher.messages] == ["utter_default"]

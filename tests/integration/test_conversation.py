"""A conversation through the REST channel, against the real servers and trained model."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE
from tests.servers import API_TOKEN, Chat

pytestmark = pytest.mark.integration


def test_a_person_asks_about_deadlines_and_gets_sourced_answers(chat: Chat) -> None:
    person = "person-deadlines"
    greeting = chat.texts(person, "Hei!")
    assert "Veivalg" in greeting and "anonym" in greeting

    answer = chat.texts(person, "Når er søknadsfristen til Samordna opptak?")
    assert "15. april" in answer and "1. mars" in answer
    assert "Kilde: https://www.samordnaopptak.no/" in answer

    answer = chat.texts(person, "hvor mange studievalg kan jeg føre opp?")
    assert "10" in answer or "ti " in answer
    assert "Kilde: https://www.samordnaopptak.no/" in answer

    answer = chat.texts(person, "når må jeg søke om studielån i lånekassen?")
    assert "15. november" in answer and "15. mars" in answer
    assert "Kilde: https://lanekassen.no/" in answer

    assert "hyggelig" in chat.texts(person, "tusen takk")
    assert "Ha det" in chat.texts(person, "ha det bra")


def test_upper_secondary_questions(chat: Chat) -> None:
    person = "person-vgs"
    assert "vigo.no" in chat.texts(person, "hvordan søker jeg videregående?")
    answer = chat.texts(person, "når er fristen for å søke videregående skole?")
    assert "1. mars" in answer and "1. februar" in answer
    answer = chat.texts(person, "hvor mange utdanningsprogram kan jeg søke på til vg1?")
    assert "tre" in answer


def test_nynorsk_is_answered_in_nynorsk_and_the_language_sticks(chat: Chat) -> None:
    person = "person-nynorsk"
    answer = chat.texts(person, "Kva er fristen for å søkje høgare utdanning?")
    assert "Kjelde: https://www.samordnaopptak.no/" in answer
    assert "15. april" in answer
    # "takk" tells no language; the conversation stays in Nynorsk.
    assert chat.texts(person, "takk") == "Berre hyggeleg! Er det noko meir du lurer på?"


def test_english_is_answered_in_english(chat: Chat) -> None:
    answer = chat.texts("person-english", "When is the deadline for student loans?")
    assert "15 November" in answer and "Source: https://lanekassen.no/" in answer


def test_out_of_scope_says_what_the_bot_can_do(chat: Chat) -> None:
    replies = chat.send("person-weather", "hva blir været i Bergen i morgen?")
    assert "utdanning og jobb" in replies[0]["text"]
    assert [button["payload"] for button in replies[0]["buttons"]] == [
        "/ask_higher_education_deadline",
        "/ask_upper_secondary_application",
        "/ask_student_finance_deadline",
    ]


def test_low_confidence_suggests_topics_as_buttons(chat: Chat) -> None:
    person = "person-unsure"
    status, parsed = chat.post(b'{"text": "xqzj vvkw"}', f"/model/parse?token={API_TOKEN}")
    assert status == 200 and parsed["intent"]["name"] == "nlu_fallback"
    replies = chat.send(person, "xqzj vvkw")
    assert "sikker på" in replies[0]["text"]
    payloads = [button["payload"] for button in replies[0]["buttons"]]
    assert payloads and all(payload.startswith("/ask_") for payload in payloads)
    # A suggested topic is a button; pressing it answers that topic (with its source, when
    # the answer comes from the knowledge base).
    answered = [payload for payload in payloads if KNOWLEDGE.for_intent(payload[1:])]
    if answered:
        assert "Kilde: https://" in chat.texts(person, answered[0])


def test_the_conversation_is_kept_in_the_tracker(chat: Chat) -> None:
    person = "person-tracker"
    chat.texts(person, "hei")
    chat.texts(person, "når er fristen for samordna opptak")
    events = chat.tracker(person)["events"]
    said = [event["text"] for event in events if event["event"] == "user"]
    assert said == ["hei", "når er fristen for samordna opptak"]
    answered = [event["text"] for event in events if event["event"] == "bot"]
    assert len(answered) == 2 and "15. april" in answered[1]

"""A conversation through the REST channel, against the real servers and trained model."""

from __future__ import annotations

import pytest

from tests.facts import ANSWER_FACTS, answer_problems, mentions, response
from tests.servers import API_TOKEN, Chat

pytestmark = pytest.mark.integration


def test_a_person_asks_about_deadlines_and_gets_sourced_answers(chat: Chat) -> None:
    person = "person-deadlines"
    assert chat.texts(person, "Hei!") == response("utter_greet", "nb")

    answer = chat.texts(person, "Når er søknadsfristen til Samordna opptak?")
    assert answer_problems(answer, "ask_higher_education_deadline", "nb") == []
    answer = chat.texts(person, "hvor mange studievalg kan jeg føre opp?")
    assert answer_problems(answer, "ask_higher_education_choices", "nb") == []
    answer = chat.texts(person, "når må jeg søke om studielån i lånekassen?")
    assert answer_problems(answer, "ask_student_finance_deadline", "nb") == []

    assert chat.texts(person, "tusen takk") == response("utter_thank", "nb")
    assert chat.texts(person, "ha det bra") == response("utter_goodbye", "nb")


def test_upper_secondary_questions(chat: Chat) -> None:
    person = "person-vgs"
    answer = chat.texts(person, "hvordan søker jeg videregående?")
    assert answer_problems(answer, "ask_upper_secondary_application", "nb") == []
    answer = chat.texts(person, "når er fristen for å søke videregående skole?")
    assert answer_problems(answer, "ask_upper_secondary_deadline", "nb") == []
    answer = chat.texts(person, "hvor mange utdanningsprogram kan jeg søke på til vg1?")
    assert answer_problems(answer, "ask_upper_secondary_choices", "nb") == []


def test_nynorsk_is_answered_in_nynorsk_and_the_language_sticks(chat: Chat) -> None:
    person = "person-nynorsk"
    answer = chat.texts(person, "Kva er fristen for å søkje høgare utdanning?")
    assert answer_problems(answer, "ask_higher_education_deadline", "nn") == []
    # "takk" tells no language; the conversation stays in Nynorsk.
    assert chat.texts(person, "takk") == response("utter_thank", "nn")


def test_english_is_answered_in_english(chat: Chat) -> None:
    answer = chat.texts("person-english", "When is the deadline for student loans?")
    assert answer_problems(answer, "ask_student_finance_deadline", "en") == []


@pytest.mark.parametrize(("said", "language"), [
    ("kom til norge i fjor", "nb"),  # out of scope (0.95): "I can't help with that"
    ("har jobba i barnehage i 4 år uten utdanning", "nb"),  # not understood
])
def test_a_line_of_ones_situation_is_thanked_for_and_the_question_asked_for(
        chat: Chat, said: str, language: str) -> None:
    person = f"person-situation-{len(said)}"
    assert chat.texts(person, said) == response("utter_tell_me_more", language)
    answer = chat.texts(person, "skal søke vgs")
    assert answer_problems(answer, "ask_upper_secondary_application", "nb") == []


def test_out_of_scope_says_what_the_bot_can_do(chat: Chat) -> None:
    replies = chat.send("person-weather", "hva blir været i Bergen i morgen?")
    assert replies[0]["text"] == response("utter_out_of_scope", "nb")
    assert [button["payload"] for button in replies[0]["buttons"]] == [
        "/ask_higher_education_deadline",
        "/ask_upper_secondary_application",
        "/ask_student_finance_deadline",
    ]


def test_low_confidence_suggests_topics_as_buttons(chat: Chat) -> None:
    person = "person-unsure"
    status, parsed = chat.post(b'{"text": "xqzj vvkw"}', f"/model/parse?token={API_TOKEN}")
    assert status == 200 and parsed["intent"]["name"] == "nlu_fallback"
    [reply] = chat.send(person, "xqzj vvkw")
    assert mentions(reply["text"], "sikker på")
    payloads = [button["payload"] for button in reply["buttons"]]
    assert payloads and all(payload.startswith("/ask_") for payload in payloads)
    # A suggested topic is a button; pressing one answers that topic with its source.
    answered = [payload for payload in payloads if payload[1:] in ANSWER_FACTS]
    assert answered, f"no knowledge topic among {payloads}"
    answer = chat.texts(person, answered[0])
    assert answer_problems(answer, answered[0][1:], "nb") == []


def test_the_conversation_is_kept_in_the_tracker(chat: Chat) -> None:
    person = "person-tracker"
    replies = [chat.texts(person, "hei"), chat.texts(person, "når er fristen for samordna opptak")]
    events = chat.tracker(person)["events"]
    said = [event["text"] for event in events if event["event"] == "user"]
    assert said == ["hei", "når er fristen for samordna opptak"]
    # The tracker holds exactly what the person was sent.
    assert [event["text"] for event in events if event["event"] == "bot"] == replies
    assert answer_problems(replies[1], "ask_higher_education_deadline", "nb") == []

"""Crisis language comes first in every state of the dialogue: the policy, the domain's
forms and the help lines themselves."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.crisis import RESUME_OFFERS
from bot.server.crisis_first import (
    CRISIS_ACTION,
    LINES_OPEN_RESPONSE,
    WILL_CALL_RESPONSE,
    WRITE_INSTEAD_RESPONSE,
    next_action,
)
from bot.shared.crisis import CHECK_AGAIN_RESPONSE, CHECK_ANSWERED_ACTION, CHECK_RESPONSE
from bot.shared.settings import PROJECT_DIR

DOMAIN = Domain.load(str(PROJECT_DIR / "domain.yml"))
HELP_LINES = ("116 123", "22 40 00 40", "https://sidetmedord.no", "https://www.soschat.no",
              "https://www.korspahalsen.no", "116 111", "113")


def tracker_after(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("t", [ActionExecuted(ACTION_LISTEN_NAME), *events],
                                            DOMAIN.slots)


def said(text: str, intent: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0})


@pytest.mark.parametrize("form", sorted(DOMAIN.form_names))
def test_a_crisis_message_interrupts_every_form(form: str) -> None:
    tracker = tracker_after(ActionExecuted(form), ActiveLoop(form),
                            ActionExecuted(ACTION_LISTEN_NAME),
                            said("vil ikke leve lenger", "crisis"))
    assert next_action(tracker) == CRISIS_ACTION


def test_after_the_help_lines_the_bot_listens() -> None:
    tracker = tracker_after(said("vil ikke leve lenger", "crisis"), ActionExecuted(CRISIS_ACTION))
    assert next_action(tracker) == ACTION_LISTEN_NAME


def test_other_messages_are_left_to_the_other_policies() -> None:
    assert next_action(tracker_after(said("når er fristen", "ask_cv"))) is None
    assert next_action(tracker_after()) is None


def test_no_form_takes_a_crisis_message_as_an_answer() -> None:
    """A free-text slot filled while a form asks would store the crisis message as, say,
    the question left for a callback."""
    for slot in DOMAIN.slots:
        for mapping in slot.mappings:
            if mapping.get("type") != "from_text" or not mapping.get("conditions"):
                continue
            excluded = mapping.get("not_intent") or []
            allowed = mapping.get("intent")
            assert "crisis" in excluded or (allowed and "crisis" not in allowed), slot.name


def test_every_form_can_be_offered_again_after_the_help_lines() -> None:
    assert set(RESUME_OFFERS) == set(DOMAIN.form_names)
    for response in RESUME_OFFERS.values():
        assert response in DOMAIN.responses


@pytest.mark.parametrize("language", ["nb", "nn", "en", "se"])
def test_the_help_lines_are_whole_in_every_language(language: str) -> None:
    for variation in DOMAIN.responses["utter_crisis_help"]:
        conditions = variation.get("condition") or []
        if any(c.get("value") == language for c in conditions) or (
            language == "nb" and not conditions
        ):
            missing = [line for line in HELP_LINES if line not in variation["text"]]
            assert not missing, (language, missing)
            return
    pytest.fail(f"no help lines in {language}")


def test_no_crisis_reply_counts_a_place_in_the_queue() -> None:
    for name in ("utter_crisis_help", "utter_crisis_queued", "utter_crisis_no_counsellor"):
        for variation in DOMAIN.responses[name]:
            assert "{position}" not in variation["text"], name


def test_a_message_that_may_be_crisis_language_is_questioned_first_in_every_form() -> None:
    for form in sorted(DOMAIN.form_names):
        maybe = UserUttered("lånet når jeg er borte", {"name": "ask_cv", "confidence": 0.9},
                            parse_data={"intent": {"name": "ask_cv", "confidence": 0.9},
                                        "crisis_check": 0.9})
        tracker = tracker_after(ActionExecuted(form), ActiveLoop(form),
                                ActionExecuted(ACTION_LISTEN_NAME), maybe)
        assert next_action(tracker) == CHECK_RESPONSE, form
        tracker.update(ActionExecuted(CHECK_RESPONSE))
        assert next_action(tracker) == ACTION_LISTEN_NAME


@pytest.mark.parametrize("answer", ["affirm", "deny"])
def test_a_yes_or_no_to_the_question_is_read_by_its_action(answer: str) -> None:
    asked = tracker_after(said("lånet når jeg er borte", "ask_cv"),
                          ActionExecuted(CHECK_RESPONSE), ActionExecuted(ACTION_LISTEN_NAME),
                          said("ja", answer))
    assert next_action(asked) == CHECK_ANSWERED_ACTION
    elsewhere = tracker_after(said("hei", "greet"), ActionExecuted("utter_greet"),
                              ActionExecuted(ACTION_LISTEN_NAME), said("ja", answer))
    assert next_action(elsewhere) is None


@pytest.mark.parametrize("answer", ["affirm", "deny"])
def test_a_yes_or_no_to_the_question_asked_again_is_read_by_its_action(answer: str) -> None:
    asked = tracker_after(said("lånet når jeg er borte", "ask_cv"),
                          ActionExecuted(CHECK_RESPONSE), ActionExecuted(ACTION_LISTEN_NAME),
                          said("ja takk", "affirm"), ActionExecuted(CHECK_ANSWERED_ACTION),
                          ActionExecuted(CHECK_AGAIN_RESPONSE))
    assert next_action(asked) == ACTION_LISTEN_NAME
    asked.update(ActionExecuted(ACTION_LISTEN_NAME))
    asked.update(said("ja", answer))
    assert next_action(asked) == CHECK_ANSWERED_ACTION


@pytest.mark.parametrize("response", [CHECK_RESPONSE, CHECK_AGAIN_RESPONSE])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_question_gives_the_help_lines_and_a_yes_and_a_no(language: str,
                                                              response: str) -> None:
    for variation in DOMAIN.responses[response]:
        conditions = variation.get("condition") or []
        if any(c.get("value") == language for c in conditions) or (
            language == "nb" and not conditions
        ):
            assert all(line in variation["text"] for line in ("116 123", "113")), language
            payloads = [button["payload"] for button in variation["buttons"]]
            assert payloads == ["/affirm", "/deny"], language
            return
    pytest.fail(f"no question in {language}")


AFTER_HELP_LINES = (said("orker ikke mer, vil bare forsvinne", "crisis"),
                    ActionExecuted(CRISIS_ACTION), ActionExecuted(ACTION_LISTEN_NAME))


@pytest.mark.parametrize(("text", "intent", "reply"), [
    ("kan jeg ringe noen nå? klokka er over 12 på natta", "ask_opening_hours",
     LINES_OPEN_RESPONSE),
    ("er det noen som er våken der nå", "nlu_fallback", LINES_OPEN_RESPONSE),
    ("kven kan eg ringje midt på natta", "ask_career_centre", LINES_OPEN_RESPONSE),
    ("is anyone awake at this hour? its 3 am", "ask_opening_hours", LINES_OPEN_RESPONSE),
    ("er dere åpne?", "ask_opening_hours", LINES_OPEN_RESPONSE),
    ("eg er redd for å ringje", "ask_personal_guidance", WRITE_INSTEAD_RESPONSE),
    ("veit ikkje om eg klarar å ringe nokon", "nlu_fallback", WRITE_INSTEAD_RESPONSE),
    ("im too scared to call them", "human_handoff", WRITE_INSTEAD_RESPONSE),
    ("no i dont want to call anyone", "deny", WRITE_INSTEAD_RESPONSE),
    # the person says they will call
    ("ok. jeg ringer sammen med henne nå. takk", "human_handoff", WILL_CALL_RESPONSE),
    ("då ringjer eg dei no", "nlu_fallback", WILL_CALL_RESPONSE),
    ("ok i'll call them now, thanks", "thank", WILL_CALL_RESPONSE),
    ("jeg ringer ikke", "deny", None),
    ("skal jeg ringe", "nlu_fallback", None),
    # a question about something else is answered as any other
    ("når er fristen for å søke videregående?", "ask_upper_secondary_deadline", None),
    ("kan jeg skrive med et menneske her i stedet", "human_handoff", None),
])
def test_reaching_the_help_lines_asked_right_after_them_is_answered(
        text: str, intent: str, reply: str | None) -> None:
    assert next_action(tracker_after(*AFTER_HELP_LINES, said(text, intent))) == reply


def test_reaching_someone_asked_without_the_help_lines_before_is_left_to_the_others() -> None:
    asked = said("kan jeg ringe noen nå? klokka er over 12 på natta", "ask_opening_hours")
    assert next_action(tracker_after(asked)) is None
    answered = (said("når er fristen", "ask_upper_secondary_deadline"),
                ActionExecuted("action_answer_question"), ActionExecuted(ACTION_LISTEN_NAME))
    assert next_action(tracker_after(*AFTER_HELP_LINES, *answered, asked)) is None


@pytest.mark.parametrize("reply", [LINES_OPEN_RESPONSE, WRITE_INSTEAD_RESPONSE])
def test_after_an_answer_about_the_help_lines_the_bot_listens_and_reads_the_next(
        reply: str) -> None:
    tracker = tracker_after(*AFTER_HELP_LINES, said("kan jeg ringe noen nå?", "ask_opening_hours"),
                            ActionExecuted(reply))
    assert next_action(tracker) == ACTION_LISTEN_NAME
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(said("jeg tør ikke ringe", "deny"))
    assert next_action(tracker) == WRITE_INSTEAD_RESPONSE


@pytest.mark.parametrize("language", ["nb", "nn", "en", "se"])
def test_the_lines_answer_now_in_every_language(language: str) -> None:
    variations = DOMAIN.responses[LINES_OPEN_RESPONSE]
    text = next(v["text"] for v in variations
                if any(c.get("value") == language for c in v.get("condition") or [])
                or (language == "nb" and not v.get("condition")))
    assert all(line in text for line in ("116 123", "22 40 00 40", "113")), text

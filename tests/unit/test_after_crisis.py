"""The turns right after the help lines (actions/after_crisis.py): an unclear message or a
no is about them, and gets the written help lines instead of topic buttons or "ask me
something else"; once the person has asked about something else, the bot is back."""

from __future__ import annotations

from typing import Any

import pytest

from actions.after_crisis import ANSWER_ACTION, just_after_crisis
from actions.answers import KNOWLEDGE, ActionAnswerQuestion
from actions.handoff import ActionClarify
from actions.offers import ActionDeclineOffer
from actions.several_questions import SeveralQuestions
from bot.shared.crisis import CRISIS_ACTION
from tests.unit.action_fakes import NoNlu, conversation, user

CRISIS = user("jeg ser ikke poenget med noe lenger", "crisis")
QUESTION = user("når er fristen for samordna opptak", "ask_higher_education_deadline")
UNCLEAR = user("no i dont want to call anyone", "nlu_fallback")
NO = user("nei", "deny")


def ran(action: str) -> dict[str, Any]:
    return {"event": "action", "name": action}


def responses(dispatcher: Any) -> list[str]:
    return [message.get("response") for message in dispatcher.messages]


def test_the_answer_action_is_named_as_the_actions_know_it() -> None:
    assert ActionAnswerQuestion(KNOWLEDGE).name() == ANSWER_ACTION


@pytest.mark.parametrize(("said", "fresh"), [
    ([CRISIS, ran(CRISIS_ACTION), UNCLEAR], True),
    ([CRISIS, ran(CRISIS_ACTION), NO, ran("action_decline_offer"), UNCLEAR], True),
    # two messages since: the help lines are no longer what is being answered
    ([CRISIS, ran(CRISIS_ACTION), NO, ran("x"), NO, ran("x"), UNCLEAR], False),
    # a question answered since
    ([CRISIS, ran(CRISIS_ACTION), QUESTION, ran(ANSWER_ACTION), UNCLEAR], False),
    ([QUESTION, ran(ANSWER_ACTION), UNCLEAR], False),
    ([UNCLEAR], False),
])
def test_the_help_lines_are_fresh_for_two_messages(
        tracker_dict: dict[str, Any], said: list[dict[str, Any]], fresh: bool) -> None:
    assert just_after_crisis(conversation(tracker_dict, *said)) == fresh


async def test_an_unclear_message_after_the_help_lines_gets_no_topic_buttons(
        tracker_dict: dict[str, Any], dispatcher: Any, domain: dict[str, Any]) -> None:
    action = ActionClarify(several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()))
    tracker = conversation(tracker_dict, CRISIS, ran(CRISIS_ACTION), UNCLEAR, language="en")
    assert await action.run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_crisis_stay"]


async def test_a_no_after_the_help_lines_is_answered_with_them(
        tracker_dict: dict[str, Any], dispatcher: Any, domain: dict[str, Any]) -> None:
    tracker = conversation(tracker_dict, CRISIS, ran(CRISIS_ACTION), NO)
    await ActionDeclineOffer().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_crisis_stay"]


@pytest.mark.parametrize("language", ["nb", "nn", "en", "se"])
def test_the_reply_names_a_written_help_line_and_113_in_every_language(
        domain: dict[str, Any], language: str) -> None:
    variants = domain["responses"]["utter_crisis_stay"]
    [text] = [v["text"] for v in variants
              if any(c.get("value") == language for c in v.get("condition") or [])] \
        or [v["text"] for v in variants if not v.get("condition")]
    assert "sidetmedord.no" in text and "113" in text

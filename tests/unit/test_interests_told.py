"""What a person likes, told without a question (actions/interests_told.py)."""

from __future__ import annotations

import pytest

from actions.answers import ActionOutOfScope
from actions.offers import OFFERED_SLOT
from tests.unit.test_follow_ups import conversation, user


@pytest.mark.parametrize(("text", "told"), [
    ("liker gaming og tegning", True),  # was out of scope, 0.82
    ("i like football and math", True),  # 0.87
    ("eg er god i matte og likar å vere ute", True),
    ("interessert i data og spill", True),
    # the bot liked, a dislike, a question, a wish to know
    ("i like you", False), ("jeg liker ikke skolen", False), ("liker du pizza?", False),
    ("i like to know the deadline", False),
])
async def test_interests_told_get_a_counsellor_offered_not_out_of_scope(
        dispatcher, domain, text, told):
    tracker = conversation(user("aner ikke hva jeg skal bli", "ask_personal_guidance"),
                           user(text, "out_of_scope"))
    events = await ActionOutOfScope().run(dispatcher, tracker, domain)
    responses = [message.get("response") for message in dispatcher.messages]
    if told:
        assert responses == ["utter_interests_told", "utter_offer_counsellor"]
        assert events == [{"event": "slot", "timestamp": None, "name": OFFERED_SLOT,
                           "value": True}]
    else:
        assert "utter_interests_told" not in responses

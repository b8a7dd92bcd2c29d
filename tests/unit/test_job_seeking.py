"""What goes in a CV or an application, asked right after it (actions/job_seeking.py)."""

from __future__ import annotations

import pytest

from actions.answers import KNOWLEDGE, ActionOutOfScope
from bot.shared.knowledge import render_answer
from tests.unit.test_follow_ups import conversation, injected_intent, user

CV = user("hvordan skriver man cv i norge", "ask_cv")
APPLICATION = user("og søknadsbrev? trenger jeg det til en deltidsjobb", "ask_job_application")
DEADLINE = user("når er fristen for vgs", "ask_upper_secondary_deadline")


@pytest.mark.parametrize(("before", "text", "answered"), [
    (CV, "skal jeg ha bilde", "ask_cv"),  # was out of scope, 0.78
    (CV, "should i put my sommerjobb at kiwi on it or is that embarrassing", "ask_cv"),
    (CV, "skal jeg ta med alt helt fra 80-tallet?", "ask_cv"),
    (APPLICATION, "hvor langt skal det være", "ask_job_application"),  # 0.90
    (APPLICATION, "how many pages max", "ask_job_application"),
    # a distance, not the length of it; something else; not after the CV
    (CV, "hvor langt er det til bergen", None),
    (CV, "hva blir været i morgen", None),
    (DEADLINE, "skal jeg ha bilde", None),
])
async def test_what_goes_in_it_after_the_cv_or_the_application_gets_that_answer(
        dispatcher, domain, before, text, answered):
    tracker = conversation(before, {"event": "bot", "text": render_answer(
        KNOWLEDGE.for_intent(before["parse_data"]["intent"]["name"]), "nb")},
        user(text, "out_of_scope"))
    events = await ActionOutOfScope().run(dispatcher, tracker, domain)
    said = " ".join(str(message.get("text") or message.get("response") or "")
                    for message in dispatcher.messages)
    if answered:
        assert injected_intent(events) is None
        assert render_answer(KNOWLEDGE.for_intent(answered), "nb")[:40] in said
        assert "utter_answer_again_offer_counsellor" in said
    else:
        assert "utter_answer_again_offer_counsellor" not in said

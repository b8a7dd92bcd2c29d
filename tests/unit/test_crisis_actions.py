"""The crisis actions (actions/crisis.py) with a fake desk: the help lines come first
whatever the desk says, a form the message interrupted stops, an urgent case is asked
for, and the person may go back to the form only when nobody can take them.

A crisis found in one of several questions is in test_several_questions.py; recognising
crisis language is in test_crisis.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, ConversationPaused, FollowupAction, SlotSet

from actions.answers import KNOWLEDGE
from actions.crisis import (
    INTERRUPTED_SLOT,
    REQUESTED_SLOT,
    RESUME_OFFERED_SLOT,
    RESUME_OFFERS,
    ActionCrisis,
    ActionCrisisCheckAnswered,
    ActionDeclineResume,
    ActionResumeForm,
)
from actions.offers import OFFERED_SLOT
from actions.several_questions import SeveralQuestions
from bot.shared.asking import welcomes_an_offer
from tests.unit.action_fakes import (
    HOURS,
    NOBODY_ONLINE,
    QUEUED,
    FakeDesk,
    NoNlu,
    conversation,
    user,
)

CRISIS = user("jeg orker ikke mer, vil ikke leve", "crisis")
TYPED = user("/crisis", "crisis")
STOP_FORM = [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]


async def crisis(desk: FakeDesk, tracker: Any, dispatcher: Any,
                 domain: dict[str, Any]) -> list[dict[str, Any]]:
    action = ActionCrisis(desk=desk, several=SeveralQuestions(KNOWLEDGE, nlu=NoNlu()))
    return await action.run(dispatcher, tracker, domain)


def responses(dispatcher: Any) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


@pytest.mark.parametrize("answer", [QUEUED, NOBODY_ONLINE, None])
@pytest.mark.parametrize("said", [CRISIS, TYPED])
async def test_the_help_lines_come_first_whatever_the_desk_says(
    tracker_dict, dispatcher, domain, answer, said
):
    await crisis(FakeDesk(answer, HOURS), conversation(tracker_dict, said), dispatcher, domain)
    assert responses(dispatcher)[0] == "utter_crisis_help"


async def test_a_queued_person_in_crisis_is_told_so_and_the_bot_pauses(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(QUEUED)
    events = await crisis(desk, conversation(tracker_dict, CRISIS, language="en"),
                          dispatcher, domain)
    assert events == [SlotSet(OFFERED_SLOT, False), ConversationPaused()]
    assert responses(dispatcher) == ["utter_crisis_help", "utter_crisis_queued"]
    [case] = desk.opened
    assert (case["priority"], case["tags"], case["reason"]) == ("urgent", ["crisis"], "crisis")
    assert (case["alert_text"], case["language"]) == (CRISIS["text"], "en")


@pytest.mark.parametrize("answer", [NOBODY_ONLINE, None])  # None: the desk is unreachable
async def test_nobody_to_take_a_person_in_crisis_is_said_and_the_bot_goes_on(
    tracker_dict, dispatcher, domain, answer
):
    desk = FakeDesk(answer)
    events = await crisis(desk, conversation(tracker_dict, CRISIS), dispatcher, domain)
    assert events == [SlotSet(OFFERED_SLOT, False)]
    assert responses(dispatcher) == ["utter_crisis_help", "utter_crisis_no_counsellor"]
    assert len(desk.opened) == 1


@pytest.mark.parametrize("form", sorted(RESUME_OFFERS))
async def test_an_interrupted_form_stops_and_may_be_taken_up_again_when_nobody_can_come(
    tracker_dict, dispatcher, domain, form
):
    tracker = conversation(tracker_dict, CRISIS, form=form, requested_slot="county")
    events = await crisis(FakeDesk(NOBODY_ONLINE), tracker, dispatcher, domain)
    assert events == [SlotSet(OFFERED_SLOT, False), *STOP_FORM,
                      SlotSet(INTERRUPTED_SLOT, form), SlotSet(RESUME_OFFERED_SLOT, True)]
    assert responses(dispatcher) == ["utter_crisis_help", "utter_crisis_no_counsellor",
                                     RESUME_OFFERS[form]]


async def test_a_queued_person_is_not_offered_the_form_again(tracker_dict, dispatcher, domain):
    tracker = conversation(tracker_dict, CRISIS, form="callback_form")
    events = await crisis(FakeDesk(QUEUED), tracker, dispatcher, domain)
    assert events == [SlotSet(OFFERED_SLOT, False), *STOP_FORM, ConversationPaused()]
    assert RESUME_OFFERS["callback_form"] not in responses(dispatcher)


async def test_a_typed_crisis_intent_gets_the_help_lines_and_stops_the_form_but_opens_no_case(
    tracker_dict, dispatcher, domain
):
    desk = FakeDesk(QUEUED)
    tracker = conversation(tracker_dict, TYPED, form="occupation_form")
    events = await crisis(desk, tracker, dispatcher, domain)
    assert events == [SlotSet(OFFERED_SLOT, False), *STOP_FORM]
    assert responses(dispatcher) == ["utter_crisis_help"]
    assert desk.opened == []


# --- going back to the form, or not ---------------------------------------------------

@pytest.mark.parametrize("form", ["callback_form", "career_centre_form", "occupation_form"])
async def test_yes_goes_back_to_the_interrupted_form(make_tracker, dispatcher, domain, form):
    tracker = make_tracker("ja", "affirm", **{INTERRUPTED_SLOT: form, RESUME_OFFERED_SLOT: True})
    events = await ActionResumeForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet(RESUME_OFFERED_SLOT, False), SlotSet(INTERRUPTED_SLOT, None),
                      FollowupAction(form)]
    assert dispatcher.messages == []


@pytest.mark.parametrize("form", [None, "no_such_form"])
async def test_yes_with_no_form_to_go_back_to_says_so(make_tracker, dispatcher, domain, form):
    tracker = make_tracker("ja", "affirm", **{INTERRUPTED_SLOT: form, RESUME_OFFERED_SLOT: True})
    events = await ActionResumeForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet(RESUME_OFFERED_SLOT, False), SlotSet(INTERRUPTED_SLOT, None)]
    assert responses(dispatcher) == ["utter_resume_declined"]


@pytest.mark.parametrize(
    ("form", "forgotten"),
    [
        ("callback_form", ["callback_question", "callback_contact"]),
        ("career_centre_form", ["county"]),
        (None, []),
    ],
)
async def test_no_forgets_what_the_form_had_gathered(make_tracker, dispatcher, domain, form,
                                                     forgotten):
    tracker = make_tracker("nei", "deny", **{INTERRUPTED_SLOT: form, RESUME_OFFERED_SLOT: True,
                                             "callback_contact": "90000000"})
    events = await ActionDeclineResume().run(dispatcher, tracker, domain)
    assert events == [SlotSet(RESUME_OFFERED_SLOT, False), SlotSet(INTERRUPTED_SLOT, None),
                      *(SlotSet(slot, None) for slot in forgotten)]
    assert responses(dispatcher) == ["utter_resume_declined"]


def maybe(text: str = "hva skjer med lånet når jeg er borte") -> dict[str, Any]:
    message = user(text, "ask_student_loan")
    message["parse_data"]["crisis_check"] = 0.9
    return message


@pytest.mark.parametrize("answer", ["affirm", "deny"])
async def test_the_message_asked_about_is_put_back_as_the_answer_says(
    tracker_dict, dispatcher, domain, answer
):
    tracker = conversation(tracker_dict, user("hei", "greet"), maybe(), user("ja", answer))
    events = await ActionCrisisCheckAnswered().run(dispatcher, tracker, domain)
    assert [event["event"] for event in events] == ["rewind", "rewind", "action", "user"]
    replayed = events[-1]
    assert replayed["text"] == "hva skjer med lånet når jeg er borte"
    assert "crisis_check" not in replayed["parse_data"]
    wanted = "crisis" if answer == "affirm" else "ask_student_loan"
    assert replayed["parse_data"]["intent"]["name"] == wanted
    # Written once: the transcript and the counsellor's summary show it once.
    assert replayed["metadata"]["veivalg_replayed"] is True
    assert dispatcher.messages == []


@pytest.mark.parametrize(("answer", "wanted"), [
    ("nei eg vil ikkje ringje nokon", "crisis"),
    ("no i dont want to talk to anyone", "crisis"),
    ("nei, det handlet om studielånet", "ask_student_loan"),
    ("/deny", "ask_student_loan"),  # the button: "no, it is about something else"
])
async def test_a_typed_no_that_turns_down_the_help_lines_is_a_yes(
    tracker_dict, dispatcher, domain, answer, wanted
):
    tracker = conversation(tracker_dict, maybe(), user(answer, "deny"))
    events = await ActionCrisisCheckAnswered().run(dispatcher, tracker, domain)
    assert events[-1]["parse_data"]["intent"]["name"] == wanted


async def test_a_yes_to_a_question_out_of_sight_still_gets_the_help_lines(
    tracker_dict, dispatcher, domain
):
    tracker = conversation(tracker_dict, user("ja", "affirm"))
    events = await ActionCrisisCheckAnswered().run(dispatcher, tracker, domain)
    assert events == [FollowupAction("action_crisis")]


def bot_did(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


ASKED = bot_did("utter_crisis_check")
ASKED_AGAIN = bot_did("utter_crisis_check_again")


@pytest.mark.parametrize(("text", "welcomes"), [
    ("ja takk", True), ("ja, gjerne", True), ("Ja gjerne!", True), ("yes please", True),
    ("gjerne det", True), ("Ja, det hadde eg sett pris på", True), ("that would be great", True),
    ("ja", False), ("yes", False), ("ja, jeg har det vondt", False),
    ("ja takk, jeg har det vondt", False), ("yes please help me", False),
])
def test_a_yes_that_welcomes_an_offer_is_told_from_a_plain_yes(text: str, welcomes: bool) -> None:
    assert welcomes_an_offer(text) is welcomes


async def test_a_yes_that_welcomes_an_offer_gets_the_question_once_more(
    tracker_dict, dispatcher, domain
):
    tracker = conversation(tracker_dict, maybe(), ASKED, user("ja takk", "affirm"))
    events = await ActionCrisisCheckAnswered().run(dispatcher, tracker, domain)
    assert events == [FollowupAction("utter_crisis_check_again")]


@pytest.mark.parametrize(("answer", "intent", "wanted"), [
    ("ja", "affirm", "crisis"),
    ("ja takk", "affirm", "crisis"),  # asked once more only: then a yes is a yes
    ("/deny", "deny", "ask_student_loan"),
])
async def test_the_answer_to_the_question_asked_again_counts(
    tracker_dict, dispatcher, domain, answer, intent, wanted
):
    tracker = conversation(tracker_dict, user("hei", "greet"), maybe(), ASKED,
                           user("ja takk", "affirm"), bot_did("action_crisis_check_answered"),
                           ASKED_AGAIN, user(answer, intent))
    events = await ActionCrisisCheckAnswered().run(dispatcher, tracker, domain)
    # both answers and the message asked about are undone, and that message put back
    assert [event["event"] for event in events] == ["rewind"] * 3 + ["action", "user"]
    assert events[-1]["text"] == "hva skjer med lånet når jeg er borte"
    assert events[-1]["parse_data"]["intent"]["name"] == wanted

"""A person who writes about suicide or self-harm: help lines first, whatever was going on.

``CrisisFirstPolicy`` (bot/server/crisis_first.py) runs ``action_crisis`` after every crisis
message the bot answers, also in the middle of a form. The form stops; the person gets
the help lines in their language and an urgent case that goes first in the desk's queue.
When nobody can take it, the person may go back to what they were doing, if they want.

A message that may be crisis language, below the certainty of ``crisis``, gets a question
first, with the help lines (``utter_crisis_check``); ``ActionCrisisCheckAnswered`` reads
the yes or no to it.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    EventType,
    FollowupAction,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import KNOWLEDGE
from actions.desk_client import DeskClient
from actions.handoff import case_request, is_queued
from actions.offers import AFFIRM, OFFERED_SLOT, latest_intent
from actions.several_questions import SeveralQuestions
from bot.shared.after_help_lines import refuses_help
from bot.shared.asking import welcomes_an_offer
from bot.shared.crisis import (
    CHECK_AGAIN_RESPONSE,
    CHECK_ANSWERED_ACTION,
    CHECK_KEY,
    CHECK_RESPONSE,
    CRISIS_INTENT,
    REPLAYED_KEY,
    is_payload,
    said_in_crisis,
)

INTERRUPTED_SLOT = "interrupted_form"
RESUME_OFFERED_SLOT = "resume_offered"
REQUESTED_SLOT = "requested_slot"
# For each form, how the bot asks whether to go on with it after the help lines.
RESUME_OFFERS = {
    "callback_form": "utter_resume_callback_form",
    "career_centre_form": "utter_resume_career_centre_form",
    "occupation_form": "utter_resume_occupation_form",
}


def active_form(tracker: Tracker) -> str | None:
    return (tracker.active_loop or {}).get("name")


class ActionCrisis(Action):
    """Help lines, then an urgent case; a form the message interrupted is put aside."""

    def __init__(self, desk: DeskClient | None = None,
                 several: SeveralQuestions | None = None) -> None:
        self.desk = desk or DeskClient()
        self.several = several or SeveralQuestions(KNOWLEDGE)

    def name(self) -> str:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_crisis_help")
        form = active_form(tracker)
        events: list[EventType] = [SlotSet(OFFERED_SLOT, False)]
        if form is not None:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        if not await self._written_in_crisis(tracker):
            # A typed "/crisis" gets the help lines, which cost nothing, but no case.
            return events
        answer = await self.desk.open_case(case_request(tracker, urgent=True))
        if is_queued(answer):
            dispatcher.utter_message(response="utter_crisis_queued")
            return [*events, ConversationPaused()]
        dispatcher.utter_message(response="utter_crisis_no_counsellor")
        if form in RESUME_OFFERS:
            dispatcher.utter_message(response=RESUME_OFFERS[form])
            events += [SlotSet(INTERRUPTED_SLOT, form), SlotSet(RESUME_OFFERED_SLOT, True)]
        return events


    async def _written_in_crisis(self, tracker: Tracker) -> bool:
        """The whole message, or one of its questions (a message with several questions
        sends us here when one part was crisis language; typed "/crisis" never counts)."""
        if said_in_crisis(tracker.latest_message):
            return True
        reading = await self.several.read((tracker.latest_message or {}).get("text") or "",
                                          story_first=True)
        return reading is not None and reading.crisis


class ActionResumeForm(Action):
    """The person wants to go on with the form the crisis message interrupted."""

    def name(self) -> str:
        return "action_resume_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        form = tracker.get_slot(INTERRUPTED_SLOT)
        events: list[EventType] = [
            SlotSet(RESUME_OFFERED_SLOT, False), SlotSet(INTERRUPTED_SLOT, None),
        ]
        if form not in (domain.get("forms") or {}):
            dispatcher.utter_message(response="utter_resume_declined")
            return events
        return [*events, FollowupAction(form)]


class ActionDeclineResume(Action):
    def name(self) -> str:
        return "action_decline_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_resume_declined")
        # What the form had gathered goes too: nothing is kept for a task given up.
        form = (domain.get("forms") or {}).get(tracker.get_slot(INTERRUPTED_SLOT)) or {}
        gathered = [SlotSet(slot, None) for slot in form.get("required_slots") or []]
        return [SlotSet(RESUME_OFFERED_SLOT, False), SlotSet(INTERRUPTED_SLOT, None), *gathered]


class ActionCrisisCheckAnswered(Action):
    """The person answered the question how they are (``utter_crisis_check``).

    The message they were asked about is put back on the tracker as if just written,
    the question and the answers undone (as Rasa's TwoStageFallbackAction does): after a
    yes as ``crisis``, so the one crisis path runs (help lines, an urgent case, a form put
    aside); after a no as it was understood, so the question is answered, or the form it
    came in takes it. A typed no that turns down calling or talking to anyone is a yes. A
    typed yes that only welcomes an offer ("ja takk") gets the question once more,
    plainly, with the help lines (``utter_crisis_check_again``); what is answered to that
    counts. The transcript keeps what was said.
    """

    def name(self) -> str:
        return CHECK_ANSWERED_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A typed "nei eg vil ikkje ringje nokon" turns down the help lines; it does not
        # say the message was about something else (the button's no): it is a yes.
        answer = (tracker.latest_message or {}).get("text") or ""
        typed = not is_payload(answer)
        said_yes = latest_intent(tracker) == AFFIRM or (typed and refuses_help(answer))
        asked_again = bot_action_before_latest_message(tracker) == CHECK_AGAIN_RESPONSE
        if said_yes and typed and welcomes_an_offer(answer) and not asked_again:
            return [FollowupAction(CHECK_AGAIN_RESPONSE)]
        said = user_messages_since_the_check(tracker)
        if said is None:  # out of the stored window: nothing to put back
            if said_yes:
                return [FollowupAction("action_crisis")]
            dispatcher.utter_message(response="utter_crisis_check_declined")
            return []
        checked = said[0]
        parse_data = copy.deepcopy(checked.get("parse_data") or {})
        parse_data.pop(CHECK_KEY, None)
        if said_yes:
            crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            parse_data.update(intent=crisis, intent_ranking=[crisis])
        replayed = UserUttered(checked.get("text"), parse_data, timestamp=time.time(),
                               input_channel=checked.get("input_channel"))
        replayed["metadata"] = {**(checked.get("metadata") or {}), REPLAYED_KEY: True}
        return [*(UserUtteranceReverted() for _ in said),
                ActionExecuted("action_listen"), replayed]


def user_messages_since_the_check(tracker: Tracker) -> list[dict[str, Any]] | None:
    """The message the bot asked about (the person's last before ``utter_crisis_check``)
    and every one since, as events; without the question on record, the message before
    the latest. None when there is no message before the latest."""
    events = tracker.applied_events()
    asked = [at for at, event in enumerate(events)
             if event.get("event") == "action" and event.get("name") == CHECK_RESPONSE]
    users = [at for at, event in enumerate(events) if event.get("event") == "user"]
    before = [at for at in users if asked and at < asked[-1]]
    since = before[-1] if before else (users[-2] if len(users) >= 2 else None)
    if since is None:
        return None
    return [events[at] for at in users if at >= since]


def bot_action_before_latest_message(tracker: Tracker) -> str | None:
    """The bot's last action before it listened for the person's latest message."""
    listened = False
    for event in reversed(tracker.applied_events()):
        listened = listened or event.get("event") == "user"
        if listened and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None



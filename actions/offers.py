"""A typed "ja" / "yes" takes what the bot has just offered with one button.

When the bot offers one thing ("Legg igjen et spørsmål"), the action that offers it
remembers the intent the button would send in ``offered_intent``. A typed affirmation
then counts as that button: ``action_take_offer`` puts the offered intent on the tracker
as if the person had pressed it (the way Rasa's own TwoStageFallbackAction re-plays a
clarified message), so the intent's own rule runs. "nei" declines politely.

An offer lapses as soon as the person says anything else (``lapsed_offers``, run after
every message by ``action_detect_language``), so a later, unrelated "ja" takes nothing.

Only the intents in ``OFFERABLE`` can be taken this way: never ``crisis`` (a typed yes
must not open an urgent case), never an intent a person could not reach with a button.
"""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.after_crisis import just_after_crisis

# Rasa's prefix for messages the system puts on the tracker (trigger_intent, and ours
# below): not something the person wrote.
EXTERNAL_MESSAGE_PREFIX = "EXTERNAL: "
OFFERED_INTENT_SLOT = "offered_intent"
# The yes/no offers older than this module keep their own slots and rules (a counsellor:
# data/rules/handoff.yml; going on with a form after the help lines: data/rules/crisis.yml);
# they lapse the same way.
OFFERED_SLOT = "handoff_offered"  # a counsellor was offered (actions/handoff.py)
YES_NO_OFFER_SLOTS = (OFFERED_SLOT, "resume_offered")
AFFIRM = "affirm"
DENY = "deny"
# What a typed yes may take: what the bot offers as its one next step (the button
# "Legg igjen et spørsmål"; "write «I want to talk to a counsellor»" when the chat is open).
OFFERABLE = frozenset({"leave_question", "human_handoff"})


def offer(intent: str) -> SlotSet:
    """The event that remembers an offer of ``intent`` (an intent in ``OFFERABLE``)."""
    if intent not in OFFERABLE:
        raise ValueError(f"{intent!r} cannot be offered for a typed yes")
    return SlotSet(OFFERED_INTENT_SLOT, intent)


def intent_names(domain: dict[str, Any]) -> set[str]:
    """The domain's intents; the Rasa server sends each as a name or a one-key dict."""
    return {
        item if isinstance(item, str) else next(iter(item), "")
        for item in domain.get("intents") or []
    }


def latest_intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def lapsed_offers(tracker: Tracker) -> list[EventType]:
    """Offers to forget because the latest message answered something else."""
    if latest_intent(tracker) in (AFFIRM, DENY):
        return []
    events: list[EventType] = []
    if tracker.get_slot(OFFERED_INTENT_SLOT) is not None:
        events.append(SlotSet(OFFERED_INTENT_SLOT, None))
    events += [SlotSet(slot, False) for slot in YES_NO_OFFER_SLOTS if tracker.get_slot(slot)]
    return events


def as_if_said(
    tracker: Tracker, intent: str, entities: list[dict[str, Any]] | None = None
) -> list[EventType]:
    """Events that put ``intent`` on the tracker as the person's next message, for its
    own rule to answer. The text carries Rasa's prefix for messages triggered by the
    system: the transcript and the counsellor's summary leave it out, the language is
    not read from it, and it is never crisis language."""
    parse_data = {
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities or [],
        "text": f"{EXTERNAL_MESSAGE_PREFIX}{intent}",
    }
    return [
        ActionExecuted("action_listen"),
        UserUttered(
            f"{EXTERNAL_MESSAGE_PREFIX}{intent}", parse_data, timestamp=time.time(),
            input_channel=tracker.get_latest_input_channel(),
        ),
    ]


class ActionTakeOffer(Action):
    """A typed yes: take what was offered, or, with nothing on offer, ask what to do."""

    def name(self) -> str:
        return "action_take_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        offered = tracker.get_slot(OFFERED_INTENT_SLOT)
        forget = [SlotSet(OFFERED_INTENT_SLOT, None)]
        if offered not in OFFERABLE or offered not in intent_names(domain):
            dispatcher.utter_message(response="utter_nothing_offered")
            return forget
        return [*forget, *as_if_said(tracker, offered)]


class ActionDeclineOffer(Action):
    """A typed no: nothing is taken, and the bot says it is fine."""

    def name(self) -> str:
        return "action_decline_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # A no right after the help lines is a no to calling them, not to a topic.
        declined = "utter_crisis_stay" if just_after_crisis(tracker) else "utter_handoff_declined"
        dispatcher.utter_message(response=declined)
        return [SlotSet(OFFERED_INTENT_SLOT, None)]

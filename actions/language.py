"""Keep track of the written language the person uses, message by message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import EXTERNAL_MESSAGE_PREFIX, lapsed_offers
from bot.shared.language import detect_language, language_asked_for

LANGUAGE_SLOT = "language"
__all__ = ["EXTERNAL_MESSAGE_PREFIX", "LANGUAGE_SLOT", "ActionDetectLanguage"]


class ActionDetectLanguage(Action):
    """Custom slot mapping for ``language``: Rasa runs it after every user message.

    A message that does not tell ("ok", "hei", a button) keeps the language so far. It
    is also where an offer the person did not take lapses (actions/offers.py).
    """

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if text.startswith(EXTERNAL_MESSAGE_PREFIX):
            return []
        events = lapsed_offers(tracker)
        # "can you explain that in english?": the language asked for, not the one written.
        language = language_asked_for(text) or detect_language(text)
        if language is None or language == tracker.get_slot(LANGUAGE_SLOT):
            return events
        return [SlotSet(LANGUAGE_SLOT, language), *events]

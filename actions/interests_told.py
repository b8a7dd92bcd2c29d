"""What a person likes, told without a question: "liker gaming og tegning", "i like
football and math" (0.82-0.87 out of scope) got "I can't help with that". Interests are
where guidance starts: the bot says so, names what a counsellor does with them, and
offers one."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import OFFERED_SLOT

# Opens by telling what one likes, is good at or is into; not the bot liked, nor a dislike.
_TELLS_INTERESTS = re.compile(
    r"^\W*(?:(?:og|and|men|but|ja|yes|hmm+|vel|well|tja|ok)\W+)?"
    r"(?:(?:jeg|eg|æ|e|i|i'm|im|i\s+am)\s+)?(?:(?:er\s+|e\s+|am\s+)?(?:veldig|very|really|"
    r"ganske|quite|mest|most(?:ly)?|egentlig|eigentleg|bare|berre|just)\s+)?"
    r"(?:liker|likar|like|likes|love|elsker|digger|enjoy|"
    r"(?:er|e|am|i'm|im)?\s*(?:glad\s+i|god\s+i|flink\s+(?:i|til|med)|interessert\s+i|"
    r"interested\s+in|good\s+(?:at|with)|into))\s+"
    r"(?!(?:deg|dykk|dere|you|u|this|denne|dette|det|it|that|botten|boten|the\s+bot|ikke|"
    r"ikkje|itj|not|ingenting|nothing|å\s+vite|to\s+know)\b)",
    re.IGNORECASE)
MAX_WORDS = 12


def tells_interests(text: str) -> bool:
    text = text.strip()
    return "?" not in text and len(text.split()) <= MAX_WORDS \
        and bool(_TELLS_INTERESTS.match(text))


def answer_interests(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The reply to interests told, a counsellor offered; None for any other message."""
    if not tells_interests((tracker.latest_message or {}).get("text") or ""):
        return None
    dispatcher.utter_message(response="utter_interests_told")
    dispatcher.utter_message(response="utter_offer_counsellor")
    return [SlotSet(OFFERED_SLOT, True)]

"""What the person has said so far in this conversation, read from the tracker.

Shared by the actions that look back (a handoff's summary, a follow-up, a question read
in context), so that none of them imports another only for these.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker

from actions.language import LANGUAGE_SLOT
from bot.shared.language import DEFAULT_LANGUAGE


def language_of(tracker: Tracker) -> str:
    return tracker.get_slot(LANGUAGE_SLOT) or DEFAULT_LANGUAGE


def user_messages(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def intent_of(event: dict[str, Any]) -> str:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""


FALLBACK_INTENT = "nlu_fallback"


def first_readings(tracker: Tracker, count: int = 2) -> list[str]:
    """The classifier's first ``count`` readings of the latest message, the fallback aside."""
    return [reading.get("name") for reading in
            (tracker.latest_message or {}).get("intent_ranking") or []
            if reading.get("name") != FALLBACK_INTENT][:count]


def previous_question(tracker: Tracker) -> str | None:
    """The latest question before this message, as read: an ``ask_*`` intent (or a bare
    place or occupation, ``inform``); "ja", "takk", unclear messages and follow-ups are
    skipped."""
    for event in reversed(user_messages(tracker)[:-1]):
        intent = intent_of(event)
        if intent.startswith("ask_") or intent == "inform":
            return intent
    return None


def replies_to_the_message_before(events: list[dict[str, Any]]) -> list[str]:
    """What the bot said after the person's message before the latest one."""
    said: list[str] = []
    seen_latest = False
    for event in reversed(events):
        if event.get("event") == "user":
            if seen_latest:
                break
            seen_latest = True
        elif event.get("event") == "bot" and seen_latest:
            said.insert(0, event.get("text") or "")
    return said


OPENING_HOURS = "ask_opening_hours"
# A day or a time of day asked about in a few words: right after the opening hours, the
# hours again ("laurdag òg?", "and on sundays?", not understood alone).
_A_DAY = re.compile(
    r"\b(?:mandag\w*|måndag\w*|tirsdag\w*|tysdag\w*|onsdag\w*|torsdag\w*|fredag\w*|"
    r"lørdag\w*|laurdag\w*|søndag\w*|sundag\w*|helg\w*|helga|kveld\w*|morgon\w*|"
    r"helligdag\w*|heilagdag\w*|monday\w*|tuesday\w*|wednesday\w*|thursday\w*|friday\w*|"
    r"saturday\w*|sunday\w*|weekends?|evenings?|holidays?|"
    # a time of day: "eg jobbar til 17, rekk eg det", "kan du ikkje berre seie eit klokkeslett"
    r"klokkeslet\w*|(?:kl\.?|klokka|klokken)\s*\d{1,2}|(?:til|until|till|after|etter)\s+\d{1,2}|"
    r"\d{1,2}[:.]\d{2}|\d{1,2}\s*(?:am|pm))\b", re.IGNORECASE)
MAX_WORDS_A_DAY = 8


HUMAN_HANDOFF = "human_handoff"
# Whether this chat is open: "are u open on saturdays" (0.58 out of scope), "er dere
# åpne i helga?". Not a place's: "is the career centre open …" names it.
_YOU_OPEN = re.compile(
    r"\b(?:are|r|er|e|is)\s+(?:you|u|ye|y'?all|dere|dokker|dykk|de|dei|chatten|the\s+chat)\s+"
    r"(?:guys\s+)?(?:open|opne?|åpne?|åpen|åpent|opent)\b", re.IGNORECASE)


def asks_if_the_chat_is_open(text: str) -> bool:
    return bool(_YOU_OPEN.search(text))


def hours_asked_again(tracker: Tracker) -> bool:
    """Whether a few words naming a day follow a question about the opening hours, or a
    wish for a counsellor (whose answer, when closed, gave the hours: "are u open on
    saturdays" after "can i talk to a real human" was out of scope)."""
    text = (tracker.latest_message or {}).get("text") or ""
    said = user_messages(tracker)
    just_wished = len(said) >= 2 and intent_of(said[-2]) == HUMAN_HANDOFF
    return ((previous_question(tracker) == OPENING_HOURS or just_wished)
            and bool(_A_DAY.search(text)) and len(text.split()) <= MAX_WORDS_A_DAY)

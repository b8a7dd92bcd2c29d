"""What the person has said so far in this conversation, read from the tracker.

Shared by the actions that look back (a handoff's summary, a follow-up, a question read
in context), so that none of them imports another only for these.
"""

from __future__ import annotations

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

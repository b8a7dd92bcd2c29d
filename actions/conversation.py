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

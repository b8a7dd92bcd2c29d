"""The web chat's JSON frames: reading what a browser sends, building what we send.

Every frame is one JSON object with a ``type`` (docs/webchat.md). Reading never raises:
a bad frame becomes a :class:`Rejection` that the socket answers with an ``error`` frame.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, Event, SessionStarted, UserUttered

from bot.server.channels.incoming import Rejection, check_encodable
from bot.shared.crisis import CHECK_KEY, CRISIS_INTENT, REPLAYED_KEY, said_in_crisis
from bot.shared.language import LANGUAGES

# Keys in a BotUttered's metadata that mark a counsellor's message (set by the desk).
FROM_KEY = "veivalg_from"
NAME_KEY = "veivalg_name"
# Key in a UserUttered's metadata with the button title the person pressed.
DISPLAY_KEY = "veivalg_display"

INCOMING_TYPES = frozenset({"message", "typing", "language", "ping", "resume", "end", "erase",
                            "feedback", "rate"})
MAX_TITLE_CHARS = 200
MAX_COMMENT_CHARS = 1000  # a rating's comment (bot/server/insights/satisfaction.py)
HISTORY_MESSAGES = 200


@dataclass(frozen=True)
class Incoming:
    type: str
    fields: dict[str, Any]


def invalid(message: str) -> Rejection:
    return Rejection("invalid_frame", message)


def parse_frame(raw: str | bytes) -> Incoming | Rejection:
    """What a browser sent, or why it cannot be taken."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return invalid("a frame must be one JSON object")
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return invalid('a frame must be a JSON object with a "type"')
    if check_encodable(data):
        return invalid("the frame holds a lone UTF-16 surrogate, which is not a character")
    kind = data["type"]
    if kind not in INCOMING_TYPES:
        return invalid(f"unknown frame type {kind[:40]!r}")
    if kind == "message":
        if "id" in data and not isinstance(data["id"], str | int):
            return invalid('"id" must be a string or a number')
        title = data.get("title")
        if title is not None and (not isinstance(title, str) or len(title) > MAX_TITLE_CHARS):
            return invalid(f'"title" must be a string of at most {MAX_TITLE_CHARS} characters')
    if kind == "typing" and not isinstance(data.get("on"), bool):
        return invalid('"typing" needs "on": true or false')
    if kind == "resume" and not all(
        isinstance(data.get(key, ""), str) for key in ("sender", "secret")
    ):
        return invalid('"resume" takes "sender" and "secret" as strings')
    if kind == "feedback" and not (isinstance(data.get("id"), str) and len(data["id"]) <= 64
                                   and isinstance(data.get("helpful"), bool)):
        return invalid('"feedback" takes "id" (the question asked) and "helpful": true or false')
    if kind == "rate":
        score, comment = data.get("score"), data.get("comment")
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            return invalid('"rate" takes "score": a whole number 1-5')
        if comment is not None and (not isinstance(comment, str)
                                    or len(comment) > MAX_COMMENT_CHARS):
            return invalid(f'"comment" must be a string of at most {MAX_COMMENT_CHARS} characters')
    if kind == "language" and data.get("language") not in LANGUAGES:
        return Rejection("invalid_language", f"language must be one of {', '.join(LANGUAGES)}")
    return Incoming(kind, data)


def error_frame(rejection: Rejection) -> dict[str, Any]:
    return {"type": "error", "code": rejection.code, "message": rejection.message}


def message_id(timestamp: float | None) -> str:
    """The same id for a message sent live and later read back from the tracker."""
    return f"m{timestamp!r}" if timestamp is not None else f"u{uuid.uuid4().hex}"


def bot_message_frame(message: dict[str, Any]) -> dict[str, Any]:
    """A frame from what Rasa hands an output channel (``BotUttered.message()``)."""
    timestamp = message.get("timestamp")
    speaker = message.get(FROM_KEY) or "bot"
    frame: dict[str, Any] = {
        "type": "message",
        "id": message_id(timestamp),
        "from": speaker,
        "text": message.get("text") or "",
        "buttons": [
            {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
            for button in message.get("buttons") or []
        ],
        "timestamp": timestamp if timestamp is not None else time.time(),
    }
    if speaker == "counsellor":
        frame["name"] = message.get(NAME_KEY) or ""
    return frame


def user_message_frame(event: UserUttered) -> dict[str, Any] | None:
    metadata = event.metadata or {}
    text = metadata.get(DISPLAY_KEY) or event.text
    if not text or text.startswith(EXTERNAL_MESSAGE_PREFIX) or metadata.get(REPLAYED_KEY):
        # Nothing typed, an event triggered through the HTTP API, or a message put back
        # after the person answered the bot's question about it (shown where written).
        return None
    return {
        "type": "message",
        "id": message_id(event.timestamp),
        "from": "user",
        "text": text,
        "buttons": [],
        "timestamp": event.timestamp,
    }


def history_frame(events: Iterable[Event], for_desk: bool = False) -> dict[str, Any]:
    """The conversation so far, as the widget shows it; ``for_desk`` marks the messages
    that were understood as crisis language, or perhaps so (``crisis_check``), for the
    counsellor's eyes only."""
    messages = []
    for event in events:
        if isinstance(event, UserUttered):
            frame = user_message_frame(event)
            crisis = for_desk and said_in_crisis(event.parse_data, event.text)
            if frame is not None and crisis:
                frame["alert"] = CRISIS_INTENT
            elif frame is not None and for_desk and (event.parse_data or {}).get(CHECK_KEY):
                frame["alert"] = CHECK_KEY  # perhaps crisis language: the bot asked
            elif crisis and (event.metadata or {}).get(REPLAYED_KEY):
                # The person said yes when asked whether this message meant a crisis: it
                # is marked where it was written.
                written = [m for m in messages if m["from"] == "user" and m["text"] == event.text]
                if written:
                    written[-1]["alert"] = CRISIS_INTENT
        elif isinstance(event, BotUttered) and (event.text or event.data.get("buttons")):
            frame = bot_message_frame(event.message())
        else:
            frame = None
        if frame is not None:
            messages.append(frame)
    return {"type": "history", "messages": messages[-HISTORY_MESSAGES:]}


def current_session(tracker: Any, domain: Any) -> list[Event]:
    """The events of the conversation's current session: none once it has expired, so
    that an old conversation is not shown again after a long pause."""
    events = list(getattr(tracker, "events", None) or [])
    starts = [i for i, event in enumerate(events) if isinstance(event, SessionStarted)]
    events = events[starts[-1]:] if starts else events
    minutes = getattr(getattr(domain, "session_config", None), "session_expiration_time", 0)
    if events and minutes and time.time() - events[-1].timestamp > minutes * 60:
        return []
    return events

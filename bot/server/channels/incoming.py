"""Checks every channel applies to an incoming message before Rasa sees it."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import BotUttered

from bot.server.privacy import REDACTED, redact_identity_numbers
from bot.shared.crisis import mentions_crisis
from bot.shared.language import (
    BOKMAAL,
    DEFAULT_LANGUAGE,
    ENGLISH,
    NYNORSK,
    answer_language,
    detect_language,
)
from bot.shared.wording import identity_number_removed

_SENDER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")


@dataclass(frozen=True)
class Rejection:
    """Why a message was refused: a stable code for programs, a sentence for people."""

    code: str
    message: str
    status: int = 400


def check_sender(sender: object) -> Rejection | None:
    if not isinstance(sender, str) or not _SENDER_ID.match(sender):
        return Rejection(
            "invalid_sender",
            "'sender' must be 1-128 letters, digits or _ . : @ - identifying the conversation",
        )
    return None


def clean_text(text: str) -> str:
    """Drop control characters (a NUL cannot be stored in PostgreSQL) and ID numbers."""
    kept = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc"
    )
    return redact_identity_numbers(kept).strip()


def check_encodable(value: object) -> Rejection | None:
    """JSON may spell a lone UTF-16 surrogate (``"\\ud800"``), which is no character:
    nothing downstream can store or log it. Nor can JSON nested deeper than Python's
    json module goes (a RecursionError when Rasa stores it)."""
    if nesting_depth(value) > MAX_JSON_DEPTH:
        return Rejection("invalid_json", f"the JSON is nested more than {MAX_JSON_DEPTH} deep")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return Rejection("invalid_text",
                         "the text holds a lone UTF-16 surrogate, which is not a character")
    except (TypeError, ValueError):
        return Rejection("invalid_json", "the value cannot be read as JSON")
    return None


# Far deeper than any client's JSON; Python's json module gives up at about 1,000.
MAX_JSON_DEPTH = 32


def nesting_depth(value: object) -> int:
    """How deeply lists and objects nest in ``value`` (without recursion, so any depth
    can be measured)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1)
                         for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def check_text(text: object, max_chars: int) -> tuple[str, Rejection | None]:
    """The cleaned text, or why it cannot be taken."""
    if not isinstance(text, str):
        return "", Rejection("invalid_message", "'message' must be a string")
    if len(text) > max_chars:
        return "", Rejection(
            "message_too_long",
            f"the message has {len(text)} characters; at most {max_chars} are accepted",
            status=413,
        )
    unreadable = check_encodable(text)
    if unreadable:
        return "", unreadable
    cleaned = clean_text(text)
    if not cleaned:
        return "", Rejection("empty_message", "the message is empty")
    return cleaned, None


# Said when a message produced no reply at all (the action server is down, or an action
# failed): silence would leave the person guessing whether anyone is there.
NO_ANSWER = {
    BOKMAAL: "Beklager, noe gikk galt hos oss, så jeg fikk ikke svart. Prøv igjen om litt.",
    NYNORSK: "Orsak, noko gjekk gale hos oss, så eg fekk ikkje svart. Prøv igjen om litt.",
    ENGLISH: "Sorry, something went wrong on our side, so I couldn't answer. Try again soon.",
}


def no_answer_text(text: str) -> str:
    return NO_ANSWER[answer_language(detect_language(text))]


async def tell_what_was_removed(text: str, output: Any, recipient: str, agent: Any) -> None:
    """After the turn, whatever answered it (an answer, the fallback, a form, nobody while
    a counsellor reads): a person whose message held an identity number is told that it
    was removed before anything stored it. ``text`` is the cleaned text; when it does not
    tell its language (a number alone), the notice takes the conversation's."""
    if REDACTED in text:
        # Every channel's recipient is also the conversation's id.
        language = detect_language(text) or await conversation_language(agent, recipient)
        notice = identity_number_removed(answer_language(language))
        await output.send_text_message(recipient, notice)


async def conversation_language(agent: Any, sender_id: str) -> str | None:
    """The written language the conversation has been in (the ``language`` slot)."""
    tracker = await agent.tracker_store.retrieve(sender_id)
    return tracker.get_slot("language") if tracker is not None else None


def help_lines(domain: Any, language: str) -> str | None:
    """The help-line answer (`utter_crisis_help`) in ``language``, read from the domain
    itself, so that it can be given when the bot cannot run its own actions."""
    variants = getattr(domain, "responses", {}).get("utter_crisis_help") or []
    fallback = None
    for variant in variants:
        conditions = variant.get("condition") or []
        if not conditions:
            fallback = variant.get("text")
        elif any(c.get("name") == "language" and c.get("value") == language
                 for c in conditions):
            return variant.get("text")
    return fallback


def failure_replies(text: str, domain: Any) -> list[str]:
    """What a person is told when their message could not be handled: the apology, and
    before it the help lines when the message speaks of a crisis (the patterns need no
    database, no model and no action server)."""
    replies = [no_answer_text(text)]
    if mentions_crisis(text):
        lines = help_lines(domain, detect_language(text) or DEFAULT_LANGUAGE)
        replies[:0] = [lines] if lines else []
    return replies


async def with_counsellor(agent: Any, sender_id: str) -> bool:
    """Whether the bot is paused because a counsellor has the conversation (then no
    reply from the bot is the right reply)."""
    tracker = await agent.tracker_store.retrieve(sender_id)
    return tracker is not None and tracker.is_paused()


# Rasa reads a message that starts with "/" as an intent ("/crisis", "/restart"). A
# word joiner in front (invisible, not whitespace, so Rasa's strip() keeps it) makes
# such free text plain text again, and it is shown as it was written.
AS_TEXT = "\u2060"


def offered_payloads(tracker: Any) -> set[str]:
    """Payloads of the buttons the bot showed in this conversation (its recent events)."""
    return {
        str(button.get("payload"))
        for event in getattr(tracker, "events", [])
        if isinstance(event, BotUttered)
        for button in (event.data or {}).get("buttons") or []
    }


async def as_written(text: str, sender_id: str, agent: Any) -> str:
    """``text`` as Rasa should read it: an intent only when it is the payload of a button
    the bot itself offered in this conversation; any other "/..." is what the person
    wrote, and no way to trigger an internal intent (an urgent case, a restart)."""
    if not text.lstrip().startswith("/"):
        return text
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is not None and text.strip() in offered_payloads(tracker):
        return text
    return AS_TEXT + text

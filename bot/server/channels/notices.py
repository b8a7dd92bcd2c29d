"""What a person is told about the handoff, in words, for channels that show notices as
messages (Telegram, Messenger). The web chat draws the same frames itself (a status line,
a banner): bot/static/chat/widget.js.

Every person-facing frame the desk sends (bot/server/handoff/person.py ``PersonLink.notify``)
goes through ``notice_text``: a channel that shows text implements ``send_frame`` with it,
so a new notice reaches every channel at once.
"""

from __future__ import annotations

from typing import Any

from bot.server.channels.frames import FROM_KEY, NAME_KEY
from bot.shared.language import DEFAULT_LANGUAGE
from bot.shared.wording import minutes

NOTICES = {
    "only_text": {
        "nb": "Her kan jeg bare lese tekst. Skriv spørsmålet ditt, så svarer jeg så godt jeg kan.",
        "nn": "Her kan eg berre lese tekst. Skriv spørsmålet ditt, så svarar eg så godt eg kan.",
        "en": "I can only read text here. Write your question, and I'll answer as best I can.",
    },
    "private_only": {
        "nb": "Jeg svarer bare i private samtaler. Skriv gjerne til meg direkte.",
        "nn": "Eg svarar berre i private samtalar. Skriv gjerne til meg direkte.",
        "en": "I only answer in private chats. Feel free to write to me directly.",
    },
    "edited": {
        "nb": "Jeg kan ikke lese endrede meldinger. Send gjerne en ny melding i stedet.",
        "nn": "Eg kan ikkje lese endra meldingar. Send gjerne ei ny melding i staden.",
        "en": "I can't read edited messages. Please send a new message instead.",
    },
    "queue": {
        "nb": "Du er nummer {position} i køen. Ventetiden er omtrent {wait}.",
        "nn": "Du er nummer {position} i køen. Ventetida er om lag {wait}.",
        "en": "You are number {position} in the queue. The wait is about {wait}.",
    },
    "joined": {
        "nb": "Rådgiver {name} har kommet inn i samtalen.",
        "nn": "Rådgivar {name} har kome inn i samtalen.",
        "en": "Counsellor {name} has joined the conversation.",
    },
    "too_fast": {
        "nb": "Du sender mange meldinger fort. Vent litt og prøv igjen.",
        "nn": "Du sender mange meldingar fort. Vent litt og prøv igjen.",
        "en": "You are sending many messages quickly. Please wait a little and try again.",
    },
    "left": {
        "nb": "Rådgiver {name} har forlatt samtalen.",
        "nn": "Rådgivar {name} har forlate samtalen.",
        "en": "Counsellor {name} has left the conversation.",
    },
}


def notice(kind: str, language: str | None, **values: Any) -> str:
    texts = NOTICES[kind]
    return texts.get(language or DEFAULT_LANGUAGE, texts[DEFAULT_LANGUAGE]).format(**values)


def notice_text(frame: dict[str, Any], language: str | None) -> str | None:
    """The message that tells the person what ``frame`` says, or None when there is
    nothing to say in words (typing, a rating request, a place the reply just gave)."""
    kind = frame.get("type")
    # in_reply: the bot's reply to the handoff has just said the place.
    if kind == "queue" and frame.get("position") is not None and not frame.get("in_reply"):
        return notice("queue", language, position=frame["position"],
                      wait=minutes(frame["wait_minutes"], language))
    if kind == "handoff" and frame.get("event") in ("joined", "left"):
        return notice(frame["event"], language, name=frame.get("name", ""))
    return None


def says_something(frame: dict[str, Any]) -> bool:
    """Whether a channel that shows notices as messages would send ``frame``: a notice
    in words, or the rating request (typing, and a place the reply gave, are not)."""
    return notice_text(frame, None) is not None or frame.get("type") == "rate"


COUNSELLOR_LABEL = {"nb": "rådgiver", "nn": "rådgivar", "en": "counsellor"}


def as_shown(message: dict[str, Any]) -> str:
    """A message's text as a channel that shows everything as from the bot must show it:
    a counsellor's message says who is writing ("Kari (rådgiver): ...")."""
    text = message.get("text") or ""
    if message.get(FROM_KEY) != "counsellor":
        return text
    label = COUNSELLOR_LABEL.get(message.get("language") or "", COUNSELLOR_LABEL["nb"])
    return f"{message.get(NAME_KEY) or ''} ({label}): {text}"

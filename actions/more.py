"""More on what the bot just answered: "kan du si litt mer om det?", "tell me more".

The bot's answers are short on purpose and link their source. Asked for more, it points
to those sources and offers a counsellor for the rest, rather than repeating itself or
saying it cannot help. With no answer before it, it asks what the person wants to know
more about.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import KNOWLEDGE
from actions.conversation import replies_to_the_message_before
from actions.offers import OFFERED_SLOT
from bot.shared.asking_for_more import asks_for_more
from bot.shared.occupations import occupations

_LINK = re.compile(r"https?://[^\s<>\"')\]]+")
MAX_LINKS = 3


@lru_cache(maxsize=1)
def published_links() -> frozenset[str]:
    """The links the bot itself gives: its answers' sources, the career centres' offices
    and the occupations' pages. Only these are offered again: a link a person or a
    counsellor wrote into the conversation is never presented as the bot's source."""
    entries = KNOWLEDGE.entries.values()
    return frozenset({entry.source for entry in entries}
                     | {office.url for entry in entries for office in entry.offices if office.url}
                     | {occupation.url for occupation in occupations().occupations.values()})


def links_in_last_answer(events: list[dict[str, Any]],
                         published: frozenset[str] | None = None) -> list[str]:
    """The bot's own links in what it said since the person's message before the latest."""
    published = published_links() if published is None else published
    said = replies_to_the_message_before(events)
    found = [link.rstrip(".,;:!?") for text in said for link in _LINK.findall(text)]
    return [link for link in dict.fromkeys(found) if link in published][:MAX_LINKS]


def tell_more(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The reply to a message that asks for more, or None for any other message."""
    text = (tracker.latest_message or {}).get("text") or ""
    if not asks_for_more(text):
        return None
    links = links_in_last_answer(list(tracker.events))
    if not links:
        dispatcher.utter_message(response="utter_ask_what_more")
        return []
    dispatcher.utter_message(response="utter_more_on_topic", links="\n".join(links))
    return [SlotSet(OFFERED_SLOT, True)]

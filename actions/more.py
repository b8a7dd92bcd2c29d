"""More on what the bot just answered: "kan du si litt mer om det?", "tell me more".

The bot's answers are short on purpose and link their source. Asked for more, it points
to those sources and offers a counsellor for the rest, rather than repeating itself or
saying it cannot help. With no answer before it, it asks what the person wants to know
more about.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import replies_to_the_message_before
from actions.offers import OFFERED_SLOT
from bot.shared.asking_for_more import asks_for_more

_LINK = re.compile(r"https?://[^\s<>\"')\]]+")
MAX_LINKS = 3


def links_in_last_answer(events: list[dict[str, Any]]) -> list[str]:
    """The links in what the bot said since the person's message before the latest one."""
    said = replies_to_the_message_before(events)
    found = [link.rstrip(".,;:!?") for text in said for link in _LINK.findall(text)]
    return list(dict.fromkeys(found))[:MAX_LINKS]


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

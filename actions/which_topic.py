"""Asking which topic a person meant, with the likeliest topics as buttons.

Shared by the clarification after a message the bot did not understand
(``action_clarify``) and by an answer the bot holds back because the question was read
as something it is not (``action_answer_question``)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of
from bot.shared.topics import title, titles

MAX_TOPICS = 3


def ask_which_topic(dispatcher: CollectingDispatcher, tracker: Tracker,
                    first: str | None = None) -> None:
    """The topics the classifier ranked highest for the latest message, as buttons, after
    ``first`` (the topic a follow-up points back at); the plain "say it another way" with
    the general topics when none has a title."""
    language = language_of(tracker)
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    ranked = [first, *(item.get("name") for item in ranking)]
    likely = list(dict.fromkeys(name for name in ranked if name in titles()))[:MAX_TOPICS]
    if not likely:
        dispatcher.utter_message(response="utter_default")
        return
    buttons = [{"title": title(intent, language), "payload": f"/{intent}"} for intent in likely]
    dispatcher.utter_message(response="utter_clarify", buttons=buttons)

"""Answer routine questions from the knowledge base, in the person's written language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.language import LANGUAGE_SLOT
from bot.knowledge import KnowledgeBase, load_knowledge, render_answer
from bot.nlp.language import DEFAULT_LANGUAGE

# Loaded once when the action server starts; a broken knowledge file stops the start.
KNOWLEDGE: KnowledgeBase = load_knowledge()


class ActionAnswerQuestion(Action):
    """Sends the knowledge entries for the question's intent as one answer, with sources."""

    def __init__(self, knowledge: KnowledgeBase | None = None) -> None:
        self.knowledge = knowledge or KNOWLEDGE

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        language = tracker.get_slot(LANGUAGE_SLOT) or DEFAULT_LANGUAGE
        entries = self.knowledge.for_intent(intent)
        if not entries:
            # A rule sent us here without an answer on file: say so rather than guess.
            dispatcher.utter_message(response="utter_default")
            return []
        dispatcher.utter_message(text=render_answer(entries, language))
        return []
